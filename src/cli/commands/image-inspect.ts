import { readAll } from '../../client/engine-client.js';
import { errorText } from '../cli-errors.js';
import { ExitError, type Command } from '../command.js';
import { parseTemplate, TemplateError, type Template } from '../format/go-template.js';
import { compactJson, imageInspectView, indentJson } from './image-inspect-view.js';
import { imagePath } from './image-reference.js';
import { INSPECT_FORMAT_HELP } from './system-format-flag.js';

/**
 * Runs an inspect template as docker's TemplateInspector does: on the typed view first, and
 * if that fails on the raw JSON with missingkey=error.
 */
function executeInspect(typed: Template, raw: Template, rawText: string): string {
  let data: unknown;
  try {
    data = JSON.parse(rawText);
  } catch (e: unknown) {
    throw new Error(`unable to read inspect data: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return typed.execute(imageInspectView(data));
  } catch {
    try {
      return raw.execute(data);
    } catch (e: unknown) {
      if (e instanceof TemplateError) throw new Error(`template parsing error: ${e.message}`);
      throw e;
    }
  }
}

export const command: Command = {
  path: 'image inspect',
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  description: 'Display detailed information on one or more images',
  flags: [{ name: 'format', short: 'f', type: 'string', usage: INSPECT_FORMAT_HELP }],
  interspersed: true,
  args: { kind: 'min', n: 1 },
  async run(ctx, flags, args) {
    const format = flags.getString('format');
    let templates: { typed: Template; raw: Template } | undefined;
    if (format !== '' && format !== 'json') {
      try {
        templates = { typed: parseTemplate(format), raw: parseTemplate(format, undefined, { missingKey: 'error' }) };
      } catch (e: unknown) {
        if (e instanceof TemplateError) throw new ExitError(64, `template parsing error: ${e.message}`);
        throw e;
      }
    }
    const elements: string[] = [];
    let rendered = '';
    const errors: string[] = [];
    for (const ref of args) {
      let rawText: string;
      try {
        // Connecting is part of each lookup: without a daemon, every name reports the error.
        const client = await ctx.client();
        rawText = await readAll(await client.request('GET', `/images/${imagePath(ref)}/json`));
      } catch (e: unknown) {
        errors.push(errorText(e));
        continue;
      }
      if (templates === undefined) {
        elements.push(rawText);
        continue;
      }
      try {
        rendered += `${executeInspect(templates.typed, templates.raw, rawText)}\n`;
      } catch (e: unknown) {
        errors.push(e instanceof Error ? e.message : String(e));
      }
    }
    if (templates !== undefined) ctx.out(rendered === '' ? '\n' : rendered);
    else if (elements.length === 0) ctx.out('[]\n');
    else {
      const all = `[${elements.join(',')}]`;
      ctx.out(`${format === 'json' ? compactJson(all) : indentJson(all, '    ')}\n`);
    }
    if (errors.length > 0) throw new ExitError(1, errors.join('\n'));
    return 0;
  },
};
