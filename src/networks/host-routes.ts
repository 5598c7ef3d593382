import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import type { Ipv4Cidr } from './cidr.js';

/**
 * The IPv4 networks the host routes to directly (from /proc/net/route), default
 * route excluded, and routes through `ignoreDevices` (our own bridges) left out.
 */
export async function hostRoutes(ignoreDevices: ReadonlySet<string> = new Set()): Promise<Ipv4Cidr[]> {
  const text = await fs.readFile('/proc/net/route', 'utf8').catch(() => '');
  const out: Ipv4Cidr[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8 || ignoreDevices.has(f[0] ?? '')) continue;
    const dest = littleEndianHex(f[1] ?? '0');
    const maskValue = littleEndianHex(f[7] ?? '0');
    const prefix = countBits(maskValue);
    if (prefix === 0) continue;
    out.push({ base: dest, prefix });
  }
  return out;
}

function littleEndianHex(h: string): number {
  const n = Number.parseInt(h, 16);
  const b = [n % 256, Math.floor(n / 256) % 256, Math.floor(n / 65536) % 256, Math.floor(n / 16777216) % 256];
  return ((b[0] ?? 0) * 2 ** 24) + ((b[1] ?? 0) * 2 ** 16) + ((b[2] ?? 0) * 2 ** 8) + (b[3] ?? 0);
}

function countBits(n: number): number {
  let c = 0;
  for (let v = n; v > 0; v = Math.floor(v / 2)) c += v % 2;
  return c;
}

/** The first IPv4 address (with its prefix) of a network device, if it exists and has one. */
export async function deviceAddress(name: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('ip', ['-j', '-4', 'addr', 'show', 'dev', name], (e, stdout) => {
      if (e !== null) {
        resolve(undefined);
        return;
      }
      try {
        const links = JSON.parse(stdout) as Array<{ addr_info?: Array<{ local?: string; prefixlen?: number }> }>;
        const a = links[0]?.addr_info?.[0];
        resolve(a?.local !== undefined && a.prefixlen !== undefined ? `${a.local}/${a.prefixlen}` : undefined);
      } catch {
        resolve(undefined);
      }
    });
  });
}
