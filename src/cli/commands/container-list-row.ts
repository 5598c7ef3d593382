import type { ContainerListEntry } from '../../client/engine-types.js';
import { humanDuration, humanSizeWithPrecision } from '../../units/human-units.js';
import { goQuote } from '../flags/index.js';
import { familiarName, parseNormalizedNamed, truncateId } from './image-reference.js';
import { goTimeString } from './image-time-format.js';

/**
 * One line of `ps` as docker's formatter.ContainerContext shows it to `--format` templates:
 * the fields below, plus `.Label "key"`. Keys are in sorted order, which is the order of
 * `{{json .}}`; Label, a method with an argument, is left out of JSON as docker does.
 */
export interface ContainerRow {
  readonly Command: string;
  readonly CreatedAt: string;
  readonly ID: string;
  readonly Image: string;
  readonly Labels: string;
  readonly LocalVolumes: string;
  readonly Mounts: string;
  readonly Names: string;
  readonly Networks: string;
  readonly Platform: string | null;
  readonly Ports: string;
  readonly RunningFor: string;
  readonly Size: string;
  readonly State: string;
  readonly Status: string;
  readonly Label: (name: unknown) => string;
}

/** The column titles of the table header (docker's SubHeaderContext), with its Label method. */
export const CONTAINER_HEADERS = {
  Command: 'COMMAND',
  CreatedAt: 'CREATED AT',
  ID: 'CONTAINER ID',
  Image: 'IMAGE',
  Labels: 'LABELS',
  LocalVolumes: 'LOCAL VOLUMES',
  Mounts: 'MOUNTS',
  Names: 'NAMES',
  Networks: 'NETWORKS',
  Platform: 'PLATFORM',
  Ports: 'PORTS',
  RunningFor: 'CREATED',
  Size: 'SIZE',
  State: 'STATE',
  Status: 'STATUS',
  // The header of `{{.Label "com.example.some-thing"}}` is "some thing".
  Label: (name: unknown): string => String(name).split('.').pop()?.replace(/[-_]/g, ' ') ?? '',
} as const;

/**
 * Builds the row of one container. `onSize` is called when a template reads .Size, which is
 * how docker decides to ask the daemon for sizes.
 */
export function containerRow(c: ContainerListEntry, trunc: boolean, now: Date, onSize?: () => void): ContainerRow {
  const labels = c.Labels ?? {};
  const mounts = c.Mounts ?? [];
  return {
    Command: goQuote(trunc ? ellipsis(c.Command, 20) : c.Command),
    CreatedAt: goTimeString(new Date(c.Created * 1000)),
    ID: trunc ? truncateId(c.Id) : c.Id,
    Image: imageText(c.Image, c.ImageID, trunc),
    Labels: Object.entries(labels).map(([k, v]) => `${k}=${v}`).sort().join(','),
    LocalVolumes: String(mounts.filter((m) => m.Driver === 'local').length),
    Mounts: mounts.map((m) => {
      const name = m.Name !== undefined && m.Name !== '' ? m.Name : m.Source ?? '';
      return trunc ? ellipsis(name, 15) : name;
    }).join(','),
    Names: namesText(c.Names, trunc),
    Networks: Object.keys(c.NetworkSettings?.Networks ?? {}).join(','),
    Platform: platformText(c.ImageManifestDescriptor?.platform),
    Ports: displayablePorts(c.Ports ?? []),
    RunningFor: `${humanDuration(now.getTime() - c.Created * 1000)} ago`,
    get Size(): string {
      onSize?.();
      const rw = humanSizeWithPrecision(c.SizeRw ?? 0, 3);
      const rootFs = c.SizeRootFs ?? 0;
      return rootFs > 0 ? `${rw} (virtual ${humanSizeWithPrecision(rootFs, 3)})` : rw;
    },
    State: c.State,
    Status: c.Status,
    Label: (name: unknown): string => labels[String(name)] ?? '',
  };
}

function namesText(names: readonly string[] | null, trunc: boolean): string {
  const stripped = (names ?? []).map((n) => n.replace(/^\//, ''));
  if (trunc) {
    // Only the container's own name, not the legacy "/other/alias" link names.
    const own = stripped.find((n) => !n.includes('/'));
    if (own !== undefined) return own;
  }
  return stripped.join(',');
}

/** The image as `ps` shows it: its short ID if created by ID, else the familiar name and tag without digest. */
function imageText(image: string, imageId: string, trunc: boolean): string {
  if (image === '') return '<no image>';
  if (!trunc) return image;
  if (truncateId(imageId) === truncateId(image)) return truncateId(image);
  let ref;
  try {
    ref = parseNormalizedNamed(image);
  } catch {
    return image;
  }
  return ref.tag !== undefined ? `${familiarName(ref)}:${ref.tag}` : familiarName(ref);
}

function platformText(p: { architecture: string; os: string; variant?: string } | undefined): string | null {
  if (p === undefined) return null;
  return [p.os, p.architecture, ...(p.variant !== undefined && p.variant !== '' ? [p.variant] : [])].join('/');
}

type Port = ContainerListEntry['Ports'][number];

/** docker's DisplayablePorts: "0.0.0.0:8080->80/tcp, 443/tcp", consecutive ports grouped. */
export function displayablePorts(ports: readonly Port[]): string {
  const sorted = [...ports].sort((a, b) => {
    if (a.PrivatePort !== b.PrivatePort) return a.PrivatePort - b.PrivatePort;
    if ((a.IP ?? '') !== (b.IP ?? '')) return (a.IP ?? '') < (b.IP ?? '') ? -1 : 1;
    if ((a.PublicPort ?? 0) !== (b.PublicPort ?? 0)) return (a.PublicPort ?? 0) - (b.PublicPort ?? 0);
    return a.Type < b.Type ? -1 : a.Type > b.Type ? 1 : 0;
  });
  const groups = new Map<string, { first: number; last: number }>();
  const result: string[] = [];
  const hostMappings: string[] = [];
  for (const port of sorted) {
    const current = port.PrivatePort;
    let key = port.Type;
    if (port.IP !== undefined && port.IP !== '') {
      if ((port.PublicPort ?? 0) !== current) {
        hostMappings.push(`${joinHostPort(port.IP, String(port.PublicPort ?? 0))}->${current}/${port.Type}`);
        continue;
      }
      key = `${port.IP}/${port.Type}`;
    }
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, { first: current, last: current });
    } else if (current === group.last + 1) {
      group.last = current;
    } else {
      result.push(formGroup(key, group.first, group.last));
      // A Go map keeps a key's first position when its value is replaced.
      groups.set(key, { first: current, last: current });
    }
  }
  for (const [key, g] of groups) result.push(formGroup(key, g.first, g.last));
  return [...result, ...hostMappings].join(', ');
}

function formGroup(key: string, first: number, last: number): string {
  const parts = key.split('/');
  const ip = parts.length > 1 ? parts[0] ?? '' : '';
  const type = parts.length > 1 ? parts[1] ?? '' : parts[0] ?? '';
  let group = first === last ? String(first) : `${first}-${last}`;
  if (ip !== '') group = `${joinHostPort(ip, group)}->${group}`;
  return `${group}/${type}`;
}

function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * docker's Ellipsis: cuts `s` to `max` display columns, the last one an "…". East Asian wide
 * characters count as two columns.
 */
export function ellipsis(s: string, max: number): string {
  if (max <= 0) return '';
  const runes = Array.from(s);
  if (max === 1) return runes[0] ?? '';
  let width = 0;
  const ends: number[] = [];
  for (const r of runes) {
    width += isWide(r.codePointAt(0) ?? 0) ? 2 : 1;
    ends.push(width);
  }
  if (width <= max) return s;
  for (let i = 0; i < ends.length - 1; i++) {
    if ((ends[i] ?? 0) <= max - 1 && (ends[i + 1] ?? 0) > max - 1) return `${runes.slice(0, i + 1).join('')}…`;
  }
  return s;
}

/** East Asian Wide and Fullwidth ranges (golang.org/x/text/width), the common blocks. */
const WIDE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x23e9, 0x23ec], [0x23f0, 0x23f0],
  [0x23f3, 0x23f3], [0x25fd, 0x25fe], [0x2614, 0x2615], [0x2648, 0x2653], [0x267f, 0x267f],
  [0x2693, 0x2693], [0x26a1, 0x26a1], [0x26aa, 0x26ab], [0x26bd, 0x26be], [0x26c4, 0x26c5],
  [0x26ce, 0x26ce], [0x26d4, 0x26d4], [0x26ea, 0x26ea], [0x26f2, 0x26f3], [0x26f5, 0x26f5],
  [0x26fa, 0x26fa], [0x26fd, 0x26fd], [0x2705, 0x2705], [0x270a, 0x270b], [0x2728, 0x2728],
  [0x274c, 0x274c], [0x274e, 0x274e], [0x2753, 0x2755], [0x2757, 0x2757], [0x2795, 0x2797],
  [0x27b0, 0x27b0], [0x27bf, 0x27bf], [0x2b1b, 0x2b1c], [0x2b50, 0x2b50], [0x2b55, 0x2b55],
  [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf],
  [0xa960, 0xa97f], [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe10, 0xfe19], [0xfe30, 0xfe6f],
  [0xff00, 0xff60], [0xffe0, 0xffe6], [0x16fe0, 0x18cff], [0x1b000, 0x1b2ff], [0x1f004, 0x1f004],
  [0x1f0cf, 0x1f0cf], [0x1f18e, 0x1f18e], [0x1f191, 0x1f19a], [0x1f200, 0x1f251], [0x1f300, 0x1f64f],
  [0x1f680, 0x1f6ff], [0x1f7e0, 0x1f7eb], [0x1f90c, 0x1f9ff], [0x1fa70, 0x1faff], [0x20000, 0x3fffd],
];

function isWide(cp: number): boolean {
  if (cp < 0x1100) return false;
  return WIDE_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi);
}
