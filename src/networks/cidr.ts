import { invalidArgument } from '../engine-error.js';

/** An IPv4 network: `base` is the network address as an unsigned 32-bit number. */
export interface Ipv4Cidr {
  readonly base: number;
  readonly prefix: number;
}

export function parseIpv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (m === null) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + p, 0);
}

export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff - (2 ** (32 - prefix) - 1));
}

/** Parses "172.17.0.0/16" (a host address in place of the network one is allowed, as in `--bip`). */
export function parseCidr(s: string): { cidr: Ipv4Cidr; address: number } {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(s.trim());
  const addr = m === null ? undefined : parseIpv4(m[1] ?? '');
  const prefix = m === null ? NaN : Number(m[2]);
  if (addr === undefined || !(prefix >= 0 && prefix <= 32)) throw invalidArgument(`invalid CIDR address: ${s}`);
  return { cidr: { base: networkOf(addr, prefix), prefix }, address: addr };
}

function networkOf(addr: number, prefix: number): number {
  // Bitwise operators work on signed 32-bit values: stay in floating point.
  return addr - (addr % 2 ** (32 - prefix));
}

export function formatCidr(c: Ipv4Cidr): string {
  return `${formatIpv4(c.base)}/${c.prefix}`;
}

export function size(c: Ipv4Cidr): number {
  return 2 ** (32 - c.prefix);
}

export function contains(c: Ipv4Cidr, addr: number): boolean {
  return addr >= c.base && addr < c.base + size(c);
}

export function overlaps(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.base < b.base + size(b) && b.base < a.base + size(a);
}

export function isWithin(inner: Ipv4Cidr, outer: Ipv4Cidr): boolean {
  return inner.base >= outer.base && inner.base + size(inner) <= outer.base + size(outer) && inner.prefix >= outer.prefix;
}

/** The first usable address of the network (Docker's default gateway). */
export function firstHost(c: Ipv4Cidr): number {
  return c.base + 1;
}

export { mask as prefixMask };
