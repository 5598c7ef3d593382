import { readAll, type EngineClient } from '../../client/engine-client.js';
import { errorText } from '../cli-errors.js';
import { ExitError, type CliContext } from '../command.js';
import { parseTemplate, TemplateError, type Template } from '../format/go-template.js';
import { compactJson, indentJson } from './image-inspect-view.js';

/** One object found by an inspect lookup: its JSON as the daemon sent it. */
export interface InspectedObject {
  readonly raw: string;
  /**
   * The object as docker's Go struct shows it to templates (see image-go-struct.ts), when
   * berth has one for this kind of object. Without it, templates run on the raw JSON only.
   */
  readonly view?: (data: unknown) => unknown;
}

/** Finds one object by name or ID; throws what to report for it. */
export type InspectLookup = (ref: string) => Promise<InspectedObject>;

/** GET `path` and return the body as it is. */
export async function rawJson(client: EngineClient, path: string, query?: Record<string, boolean | undefined>): Promise<string> {
  return readAll(await client.request('GET', path, query !== undefined ? { query } : {}));
}

/**
 * docker's inspect.Inspect: looks up every reference, then prints the objects as one JSON
 * array indented with 4 spaces (no format), compact (`json`) or the template once per object,
 * and the errors after it. Exits 1 if any lookup failed, 64 for a template that does not parse.
 */
export async function writeInspect(ctx: CliContext, refs: readonly string[], format: string, lookup: InspectLookup): Promise<number> {
  let templates: { typed: Template; raw: Template } | undefined;
  if (format !== '' && format !== 'json') {
    try {
      templates = { typed: parseTemplate(format), raw: parseTemplate(format, undefined, { missingKey: 'error' }) };
    } catch (e: unknown) {
      if (e instanceof TemplateError) throw new ExitError(64, `template parsing error: ${e.message}`);
      throw e;
    }
  }
  const raws: string[] = [];
  const errors: string[] = [];
  let text = '';
  for (const ref of refs) {
    let found: InspectedObject;
    try {
      found = await lookup(ref);
    } catch (e: unknown) {
      errors.push(errorText(e));
      continue;
    }
    if (templates === undefined) {
      raws.push(found.raw);
      continue;
    }
    try {
      text += `${execute(templates, found)}\n`;
    } catch (e: unknown) {
      errors.push(e instanceof Error ? e.message : String(e));
    }
  }
  if (templates !== undefined) ctx.out(text === '' ? '\n' : text);
  else if (raws.length === 0) ctx.out('[]\n');
  else ctx.out(`${format === 'json' ? compactJson(`[${raws.join(',')}]`) : indentJson(`[${raws.join(',')}]`, '    ')}\n`);
  if (errors.length > 0) throw new ExitError(1, errors.join('\n'));
  return 0;
}

/**
 * docker's TemplateInspector: the template runs on the typed object first and, if that fails,
 * on the raw JSON with missingkey=error.
 */
function execute(templates: { typed: Template; raw: Template }, found: InspectedObject): string {
  let data: unknown;
  try {
    data = JSON.parse(found.raw);
  } catch (e: unknown) {
    throw new Error(`unable to read inspect data: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (found.view !== undefined) {
    try {
      return templates.typed.execute(found.view(data));
    } catch {
      // retried on the raw JSON below
    }
  }
  try {
    return templates.raw.execute(data);
  } catch (e: unknown) {
    if (e instanceof TemplateError) throw new Error(`template parsing error: ${e.message}`);
    throw e;
  }
}
