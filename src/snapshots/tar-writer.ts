/**
 * Writes tar headers (ustar, with a PAX extended header when a name is long, an
 * id is large or there are xattrs). Values of PAX records are raw bytes, so
 * binary xattrs such as security.capability survive.
 */
export type TarEntryType = 'file' | 'link' | 'symlink' | 'char' | 'block' | 'dir' | 'fifo';

export interface TarEntry {
  readonly name: string;
  readonly type: TarEntryType;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly mtime: Date;
  readonly linkname?: string;
  readonly devmajor?: number;
  readonly devminor?: number;
  readonly xattrs?: ReadonlyMap<string, Buffer>;
}

const TYPEFLAG: Record<TarEntryType, string> = { file: '0', link: '1', symlink: '2', char: '3', block: '4', dir: '5', fifo: '6' };
const MAX_OCTAL_7 = 0o7777777;

export const TAR_END = Buffer.alloc(1024);

export function tarPadding(size: number): Buffer {
  const rem = size % 512;
  return Buffer.alloc(rem === 0 ? 0 : 512 - rem);
}

/** The header block(s) of one entry (the content and its padding follow). */
export function tarHeader(e: TarEntry): Buffer {
  const name = e.type === 'dir' && !e.name.endsWith('/') ? `${e.name}/` : e.name;
  const pax: Array<[string, Buffer]> = [];
  let ustarName = name;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    const split = splitPrefix(name);
    if (split === undefined) {
      pax.push(['path', Buffer.from(name)]);
      ustarName = truncate(name, 100);
    } else {
      [prefix, ustarName] = split;
    }
  }
  const linkname = e.linkname ?? '';
  if (Buffer.byteLength(linkname) > 100) pax.push(['linkpath', Buffer.from(linkname)]);
  if (e.uid > MAX_OCTAL_7) pax.push(['uid', Buffer.from(String(e.uid))]);
  if (e.gid > MAX_OCTAL_7) pax.push(['gid', Buffer.from(String(e.gid))]);
  for (const [k, v] of [...(e.xattrs ?? new Map<string, Buffer>())].sort(([a], [b]) => (a < b ? -1 : 1))) pax.push([`SCHILY.xattr.${k}`, v]);
  const main = ustar({
    name: ustarName, prefix, mode: e.mode, uid: Math.min(e.uid, MAX_OCTAL_7), gid: Math.min(e.gid, MAX_OCTAL_7),
    size: e.type === 'file' ? e.size : 0, mtime: Math.floor(e.mtime.getTime() / 1000), typeflag: TYPEFLAG[e.type],
    linkname: truncate(linkname, 100), devmajor: e.devmajor ?? 0, devminor: e.devminor ?? 0,
  });
  if (pax.length === 0) return main;
  const body = Buffer.concat(pax.map(([k, v]) => paxRecord(k, v)));
  const paxHeader = ustar({
    name: truncate(`PaxHeaders.0/${ustarName}`, 100), prefix: '', mode: 0o644, uid: 0, gid: 0, size: body.length,
    mtime: Math.floor(e.mtime.getTime() / 1000), typeflag: 'x', linkname: '', devmajor: 0, devminor: 0,
  });
  return Buffer.concat([paxHeader, body, tarPadding(body.length), main]);
}

function paxRecord(key: string, value: Buffer): Buffer {
  const rest = Buffer.concat([Buffer.from(` ${key}=`), value, Buffer.from('\n')]);
  let len = rest.length + 1;
  while (String(len).length + rest.length !== len) len = String(len).length + rest.length;
  return Buffer.concat([Buffer.from(String(len)), rest]);
}

function splitPrefix(name: string): [string, string] | undefined {
  for (let i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100 && rest !== '') return [prefix, rest];
  }
  return undefined;
}

function truncate(s: string, bytes: number): string {
  const b = Buffer.from(s);
  return b.length <= bytes ? s : b.subarray(0, bytes).toString('latin1');
}

interface Ustar {
  name: string; prefix: string; mode: number; uid: number; gid: number; size: number; mtime: number;
  typeflag: string; linkname: string; devmajor: number; devminor: number;
}

function ustar(h: Ustar): Buffer {
  const b = Buffer.alloc(512);
  b.write(h.name, 0, 100, 'utf8');
  octal(b, 100, 8, h.mode & 0o7777);
  octal(b, 108, 8, h.uid);
  octal(b, 116, 8, h.gid);
  octal(b, 124, 12, h.size);
  octal(b, 136, 12, Math.max(0, h.mtime));
  b.fill(' ', 148, 156);
  b.write(h.typeflag, 156, 1, 'latin1');
  b.write(h.linkname, 157, 100, 'utf8');
  b.write('ustar\u000000', 257, 8, 'latin1');
  octal(b, 329, 8, h.devmajor);
  octal(b, 337, 8, h.devminor);
  b.write(h.prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of b) sum += byte;
  b.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'latin1');
  return b;
}

function octal(b: Buffer, offset: number, width: number, value: number): void {
  b.write(`${value.toString(8).padStart(width - 1, '0')}\u0000`, offset, width, 'latin1');
}
