import { ExitError } from '../command.js';

export interface PortPublish {
  /** "80/tcp" keys of what the container exposes. */
  readonly exposed: string[];
  /** HostConfig.PortBindings entries. */
  readonly bindings: Record<string, Array<{ HostIp: string; HostPort: string }>>;
}

function parseRange(s: string, what: string, raw: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(s);
  const lo = Number(m?.[1]);
  const hi = m?.[2] === undefined ? lo : Number(m[2]);
  if (m === null || !(lo >= 1 && lo <= 65535) || !(hi >= lo && hi <= 65535)) {
    throw new ExitError(125, `invalid argument "${raw}" for "-p, --publish" flag: invalid ${what}: ${s}`);
  }
  return [lo, hi];
}

/**
 * Docker's `-p` syntax: `[ip:][hostPort:]containerPort[/proto]`, with ranges on
 * either side (`8000-8001:80-81`), `ip::containerPort`, and `[ipv6]:...`.
 */
export function parsePublish(specs: readonly string[]): PortPublish {
  const exposed: string[] = [];
  const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const raw of specs) {
    let rest = raw;
    let proto = 'tcp';
    const slash = rest.lastIndexOf('/');
    if (slash >= 0) {
      proto = rest.slice(slash + 1).toLowerCase();
      rest = rest.slice(0, slash);
      if (!['tcp', 'udp', 'sctp'].includes(proto)) throw new ExitError(125, `invalid argument "${raw}" for "-p, --publish" flag: invalid proto: ${proto}`);
    }
    let ip = '';
    if (rest.startsWith('[')) {
      const end = rest.indexOf(']');
      ip = rest.slice(1, end);
      rest = rest.slice(end + 2);
      rest = `${rest.includes(':') ? '' : ':'}${rest}`;
    }
    const parts = rest.split(':');
    let hostPart = '';
    let containerPart: string;
    if (parts.length === 1) containerPart = parts[0] ?? '';
    else if (parts.length === 2) [hostPart = '', containerPart = ''] = parts;
    else if (parts.length === 3) {
      ip = parts[0] ?? '';
      hostPart = parts[1] ?? '';
      containerPart = parts[2] ?? '';
    } else throw new ExitError(125, `invalid argument "${raw}" for "-p, --publish" flag: invalid port format`);
    if (ip !== '' && !/^(\d{1,3}\.){3}\d{1,3}$/.test(ip) && !ip.includes(':')) {
      throw new ExitError(125, `invalid argument "${raw}" for "-p, --publish" flag: invalid IP address: ${ip}`);
    }
    const [cLo, cHi] = parseRange(containerPart, 'containerPort', raw);
    const host = hostPart === '' ? undefined : parseRange(hostPart, 'hostPort', raw);
    const count = cHi - cLo + 1;
    if (host !== undefined && count > 1 && host[1] - host[0] + 1 !== count) {
      throw new ExitError(125, `invalid argument "${raw}" for "-p, --publish" flag: Invalid ranges specified for container and host Ports: ${containerPart} and ${hostPart}`);
    }
    for (let i = 0; i < count; i++) {
      const key = `${cLo + i}/${proto}`;
      if (!exposed.includes(key)) exposed.push(key);
      let hostPort = '';
      if (host !== undefined) hostPort = count > 1 ? String(host[0] + i) : host[0] === host[1] ? String(host[0]) : `${host[0]}-${host[1]}`;
      (bindings[key] ??= []).push({ HostIp: ip, HostPort: hostPort });
    }
  }
  return { exposed, bindings };
}
