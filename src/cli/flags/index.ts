/**
 * Command-line flags that behave like the docker CLI's (cobra / spf13/pflag): parsing in
 * ./parse-flags.ts, help and usage errors in ./help.ts, Go-compatible values in ../../units/go-values.ts.
 */

export { formatGoDuration, goQuote, parseGoDuration, parseRamBytes } from '../../units/go-values.js';
export {
  FlagError,
  ParsedFlags,
  parseFlags,
  type FlagErrorKind,
  type FlagSpec,
  type FlagType,
  type ParseOptions,
} from './parse-flags.js';
export { renderHelp, usageErrorText, type CommandHelp, type HelpOptions } from './help.js';
