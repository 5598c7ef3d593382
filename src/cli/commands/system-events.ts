import { streamLines } from '../../client/json-lines.js';
import { ExitError, type Command } from '../command.js';
import { parseTemplate, TemplateError, type Template } from '../format/go-template.js';
import { filterFlag, filtersQuery } from './image-filter-flag.js';
import { templateErrorText } from './image-go-struct.js';
import { getTimestamp } from './log-timestamp.js';
import { eventTemplateData, parseEventLine, prettyEvent } from './event-line.js';
import { INSPECT_FORMAT_HELP } from './system-format-flag.js';

/** docker's makeTemplate: "" is the default line, "json" is `{{json .}}`; a template is tried on an empty message first. */
function makeTemplate(format: string): Template | undefined {
  if (format === '') return undefined;
  const source = format === 'json' ? '{{json .}}' : format;
  try {
    const tmpl = parseTemplate(source);
    tmpl.execute(eventTemplateData(undefined, '*events.Message'));
    return tmpl;
  } catch (e: unknown) {
    if (e instanceof TemplateError) throw new ExitError(64, `Error parsing format: ${templateErrorText(e, source)}`);
    throw e;
  }
}

function timestamp(value: string, now: Date): string | undefined {
  if (value === '') return undefined;
  try {
    return getTimestamp(value, now);
  } catch (e: unknown) {
    throw new ExitError(1, e instanceof Error ? e.message : String(e));
  }
}

export const command: Command = {
  path: 'system events',
  aliases: ['events'],
  usage: '[OPTIONS]',
  description: 'Get real time events from the server',
  flags: [
    filterFlag('f', 'Filter output based on conditions provided'),
    { name: 'format', type: 'string', usage: INSPECT_FORMAT_HELP },
    { name: 'since', type: 'string', usage: 'Show all events created since timestamp' },
    { name: 'until', type: 'string', usage: 'Stream events until this timestamp' },
  ],
  interspersed: true,
  args: { kind: 'none' },
  async run(ctx, flags) {
    const tmpl = makeTemplate(flags.getString('format'));
    const now = new Date();
    const client = await ctx.client();
    const res = await client.request('GET', '/events', {
      query: {
        since: timestamp(flags.getString('since'), now),
        until: timestamp(flags.getString('until'), now),
        filters: filtersQuery(flags.getStrings('filter')),
      },
    });
    for await (const line of streamLines(res)) {
      const ev = parseEventLine(line);
      if (tmpl === undefined) {
        ctx.out(prettyEvent(ev));
        continue;
      }
      try {
        ctx.out(`${tmpl.execute(eventTemplateData(ev))}\n`);
      } catch (e: unknown) {
        if (e instanceof TemplateError) throw new ExitError(1, templateErrorText(e, flags.getString('format')));
        throw e;
      }
    }
    return 0;
  },
};
