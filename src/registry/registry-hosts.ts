import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { errnoCode, invalidArgument } from '../engine-error.js';

/** daemon.json's registry settings. */
export interface RegistryOptions {
  /** `insecure-registries`: "host[:port]" or CIDRs. */
  readonly insecureRegistries: readonly string[];
  /** `registry-mirrors`: base URLs tried, in order, before the registry itself when pulling. */
  readonly mirrors: readonly string[];
  /** Where per-registry certificates live (Docker: /etc/docker/certs.d). */
  readonly certsDir: string;
}

export const DEFAULT_CERTS_DIR = '/etc/docker/certs.d';

export interface TlsMaterial {
  readonly ca?: readonly string[];
  readonly cert?: string;
  readonly key?: string;
}

/** One place a repository can be reached. */
export interface Endpoint {
  /** "https://registry-1.docker.io", "http://127.0.0.1:5000" */
  readonly baseUrl: string;
  /** The host as in references and certs.d: "localhost:5000". */
  readonly host: string;
  readonly mirror: boolean;
  /** false: TLS certificates are not verified (an insecure registry). */
  readonly verifyTls: boolean;
  readonly tls: TlsMaterial;
  /** Try plain HTTP when the server does not speak TLS. */
  readonly httpFallback: boolean;
}

/** The host that serves a reference's domain ("docker.io" is served by registry-1.docker.io). */
export function registryHost(domain: string): string {
  return domain === 'docker.io' || domain === 'index.docker.io' ? 'registry-1.docker.io' : domain;
}

/** Whether `host` ("name[:port]") is on this machine: plain HTTP is allowed there. */
export function isLoopbackHost(host: string): boolean {
  const name = hostName(host);
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (net.isIPv4(name)) return name.startsWith('127.');
  return name === '::1';
}

function hostName(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

/** Whether `host` is listed in insecure-registries, by name or by a CIDR holding its address. */
export function isInsecureRegistry(host: string, insecure: readonly string[]): boolean {
  const name = hostName(host);
  for (const entry of insecure) {
    const e = entry.replace(/^https?:\/\//, '').replace(/\/+$/, '');
    if (e === host || e === name) return true;
    if (e.includes('/') && net.isIP(name) !== 0 && inCidr(name, e)) return true;
  }
  return false;
}

function inCidr(ip: string, cidr: string): boolean {
  const [base = '', bitsText = ''] = cidr.split('/');
  const bits = Number(bitsText);
  if (!net.isIPv4(ip) || !net.isIPv4(base) || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const toInt = (a: string): number => a.split('.').reduce((n, o) => (n << 8) + Number(o), 0) >>> 0;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return ((toInt(ip) & mask) >>> 0) === ((toInt(base) & mask) >>> 0);
}

/** Reads `<certsDir>/<host>/`: `*.crt` are CAs, a `x.cert` with its `x.key` is a client certificate. */
export async function loadTlsMaterial(certsDir: string, host: string): Promise<TlsMaterial> {
  if (host.includes('/') || host.includes('..')) throw invalidArgument(`invalid registry host ${JSON.stringify(host)}`);
  const dir = path.join(certsDir, host);
  let names: string[];
  try {
    names = (await fs.readdir(dir)).sort();
  } catch (e: unknown) {
    if (errnoCode(e) === 'ENOENT' || errnoCode(e) === 'ENOTDIR') return {};
    throw e;
  }
  const ca: string[] = [];
  let cert: string | undefined;
  let key: string | undefined;
  for (const n of names) {
    if (n.endsWith('.crt')) ca.push(await fs.readFile(path.join(dir, n), 'utf8'));
    else if (n.endsWith('.cert')) {
      const keyName = `${n.slice(0, -'.cert'.length)}.key`;
      if (!names.includes(keyName)) throw invalidArgument(`missing key ${keyName} for client certificate ${n}. CA certificates should use the extension .crt`);
      cert = await fs.readFile(path.join(dir, n), 'utf8');
      key = await fs.readFile(path.join(dir, keyName), 'utf8');
    } else if (n.endsWith('.key')) {
      const certName = `${n.slice(0, -'.key'.length)}.cert`;
      if (!names.includes(certName)) throw invalidArgument(`missing client certificate ${certName} for key ${n}`);
    }
  }
  return { ...(ca.length > 0 ? { ca } : {}), ...(cert !== undefined ? { cert } : {}), ...(key !== undefined ? { key } : {}) };
}

/**
 * Where to pull `domain`'s repositories from: the mirrors (pulls only), then the registry.
 * HTTPS always; an insecure registry skips certificate checks and may fall back to plain
 * HTTP, and so may a loopback registry (with checks kept when it does speak TLS).
 */
export async function endpointsFor(domain: string, opts: RegistryOptions, purpose: 'pull' | 'push'): Promise<Endpoint[]> {
  const out: Endpoint[] = [];
  if (purpose === 'pull') {
    for (const m of opts.mirrors) {
      let u: URL;
      try {
        u = new URL(m);
      } catch {
        throw invalidArgument(`invalid mirror: ${m}`);
      }
      const host = u.host;
      const insecure = isInsecureRegistry(host, opts.insecureRegistries);
      out.push({
        baseUrl: `${u.protocol}//${u.host}`, host, mirror: true, verifyTls: !insecure,
        tls: await loadTlsMaterial(opts.certsDir, host), httpFallback: false,
      });
    }
  }
  const host = registryHost(domain);
  const insecure = isInsecureRegistry(host, opts.insecureRegistries) || isInsecureRegistry(domain, opts.insecureRegistries);
  out.push({
    baseUrl: `https://${host}`, host, mirror: false, verifyTls: !insecure,
    tls: await loadTlsMaterial(opts.certsDir, host), httpFallback: insecure || isLoopbackHost(host),
  });
  return out;
}
