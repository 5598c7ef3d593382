/** The help texts of docker's `--format` flags (cli/flags: FormatHelp, InspectFormatHelp). */

const TEMPLATE_LINES =
  "'json':             Print in JSON format\n" +
  "'TEMPLATE':         Print output using the given Go template.\n" +
  'Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates';

/** For list commands: table, table TEMPLATE, json, TEMPLATE. */
export const FORMAT_HELP =
  'Format output using a custom template:\n' +
  "'table':            Print output in table format with column headers (default)\n" +
  "'table TEMPLATE':   Print output in table format using the given Go template\n" +
  TEMPLATE_LINES;

/** For inspect-like commands: json, TEMPLATE. */
export const INSPECT_FORMAT_HELP = `Format output using a custom template:\n${TEMPLATE_LINES}`;
