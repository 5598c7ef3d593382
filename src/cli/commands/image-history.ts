import type { ImageHistoryItem } from '../../client/engine-types.js';
import { humanSizeWithPrecision, timeAgo } from '../../units/human-units.js';
import { ExitError, type Command } from '../command.js';
import { imagePath, truncateId } from './image-reference.js';
import { formatRows, type RowType } from './image-row-format.js';
import { fromUnix, rfc3339Local } from './image-time-format.js';
import { FORMAT_HELP } from './system-format-flag.js';

const HUMAN_TABLE = 'table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}';
const NON_HUMAN_TABLE = 'table {{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}';

const HISTORY_ROW: RowType = {
  typeName: '*image.historyContext',
  headers: { ID: 'IMAGE', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT', CreatedBy: 'CREATED BY', Size: 'SIZE', Comment: 'COMMENT' },
};

/** Dates before 2000 are not shown in human form (docker's history "epoch"). */
const EPOCH = Date.UTC(2000, 0, 1) / 1000;

/** East Asian wide and fullwidth characters take two columns (golang.org/x/text/width). */
function charWidth(cp: number): number {
  const wide =
    (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) || (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) || (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd);
  return wide ? 2 : 1;
}

/** docker's formatter.Ellipsis: cut to `max` display columns, the last one an "…". */
export function ellipsis(s: string, max: number): string {
  if (max <= 0) return '';
  const runes = [...s];
  if (max === 1) return runes[0] ?? '';
  let width = 0;
  for (let i = 0; i < runes.length; i++) {
    const w = charWidth(runes[i]?.codePointAt(0) ?? 0);
    if (width + w > max - 1) {
      // Does the rest still fit without cutting?
      const total = runes.slice(i).reduce((n, r) => n + charWidth(r.codePointAt(0) ?? 0), width);
      return total <= max ? s : `${runes.slice(0, i).join('')}…`;
    }
    width += w;
  }
  return s;
}

function historyRow(h: ImageHistoryItem, human: boolean, trunc: boolean, now: Date): Record<string, string> {
  const created = fromUnix(h.Created);
  const createdAt = rfc3339Local(created);
  const createdBy = h.CreatedBy.replace(/\t/g, ' ');
  return {
    Comment: h.Comment,
    CreatedAt: createdAt,
    CreatedBy: trunc ? ellipsis(createdBy, 45) : createdBy,
    CreatedSince: !human ? createdAt : h.Created <= EPOCH ? '' : timeAgo(created, now),
    ID: trunc ? truncateId(h.Id) : h.Id,
    Size: human ? humanSizeWithPrecision(h.Size, 3) : String(h.Size),
  };
}

export const command: Command = {
  path: 'image history',
  aliases: ['history'],
  usage: '[OPTIONS] IMAGE',
  description: 'Show the history of an image',
  flags: [
    { name: 'format', type: 'string', usage: FORMAT_HELP },
    { name: 'human', short: 'H', type: 'bool', default: true, usage: 'Print sizes and dates in human readable format' },
    { name: 'no-trunc', type: 'bool', usage: "Don't truncate output" },
    // Needs API 1.48; docker hides it from help when the daemon is older, as berth's is.
    { name: 'platform', type: 'string', hidden: true, usage: 'Show history for the given platform. Formatted as "os[/arch[/variant]]" (e.g., "linux/amd64")' },
    { name: 'quiet', short: 'q', type: 'bool', usage: 'Only show image IDs' },
  ],
  interspersed: true,
  args: { kind: 'exact', n: 1 },
  async run(ctx, flags, args) {
    const client = await ctx.client();
    if (flags.has('platform')) {
      const version = await client.apiVersion();
      const [major = 0, minor = 0] = version.split('.').map(Number);
      if (major === 1 && minor < 48) {
        throw new ExitError(1, `"--platform" requires API version 1.48, but the Docker daemon API version is ${version}`);
      }
    }
    const platform = flags.getString('platform');
    const items = await client.json<ImageHistoryItem[]>('GET', `/images/${imagePath(args[0] ?? '')}/history`, {
      query: { platform: platform === '' ? undefined : JSON.stringify(platformSpec(platform)) },
    });
    const human = flags.getBool('human');
    const format = flags.getString('format');
    let final = format === '' ? 'table' : format;
    if (final === 'table') final = flags.getBool('quiet') ? '{{.ID}}' : human ? HUMAN_TABLE : NON_HUMAN_TABLE;
    const trunc = !flags.getBool('no-trunc');
    const now = new Date();
    ctx.out(formatRows(final, items.map((h) => historyRow(h, human, trunc, now)), HISTORY_ROW));
    return 0;
  },
};

/** "os[/arch[/variant]]" as the OCI platform object the API takes. */
function platformSpec(p: string): { os: string; architecture?: string; variant?: string } {
  const [os = '', architecture, variant] = p.toLowerCase().split('/');
  return { os, ...(architecture !== undefined ? { architecture } : {}), ...(variant !== undefined ? { variant } : {}) };
}
