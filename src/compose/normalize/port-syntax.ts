/** One published or exposed port in compose's long syntax (compose-go ServicePortConfig). */
export interface PortConfig {
  name?: string;
  mode: string;
  host_ip?: string;
  target: number;
  published?: string;
  protocol: string;
  app_protocol?: string;
}

function parseRange(text: string, what: string, spec: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (m === null) throw new Error(`invalid ${what}: ${text}${what === 'containerPort' ? '' : ` in ${spec}`}`);
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  if (hi < lo || hi > 65535) throw new Error(`invalid ${what}: ${text}`);
  return [lo, hi];
}

/**
 * Expands the short syntax `[ip:][host[-range]:]container[-range][/proto]` into long-syntax
 * entries, one per container port, as compose v2 (docker's nat.ParsePortSpec) does.
 */
export function parsePortShort(spec: string): PortConfig[] {
  let rest = spec;
  let protocol = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    protocol = rest.slice(slash + 1).toLowerCase();
    rest = rest.slice(0, slash);
    if (!['tcp', 'udp', 'sctp'].includes(protocol)) throw new Error(`invalid proto: ${protocol}`);
  }
  let hostIp: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) throw new Error(`invalid IP address: ${rest}`);
    hostIp = rest.slice(1, close);
    rest = rest.slice(close + 2);
  }
  const parts = rest.split(':');
  let container: string;
  let host = '';
  if (hostIp === undefined && parts.length === 3) {
    [hostIp, host, container] = parts as [string, string, string];
  } else if (parts.length === 2) {
    [host, container] = parts as [string, string];
  } else if (parts.length === 1) {
    container = parts[0] ?? '';
  } else {
    throw new Error(`invalid port format: ${spec}`);
  }
  if (hostIp === '') hostIp = undefined;
  const [clo, chi] = parseRange(container, 'containerPort', spec);
  const out: PortConfig[] = [];
  if (host === '') {
    for (let p = clo; p <= chi; p++) out.push(withIp({ mode: 'ingress', target: p, protocol }, hostIp));
    return out;
  }
  const [hlo, hhi] = parseRange(host, 'hostPort', spec);
  if (chi - clo !== hhi - hlo) {
    if (clo !== chi) throw new Error(`invalid ranges specified for container and host Ports: ${container} and ${host}`);
    // One container port published on any port of a host range.
    return [withIp({ mode: 'ingress', target: clo, published: host, protocol }, hostIp)];
  }
  for (let k = 0; k <= chi - clo; k++) {
    out.push(withIp({ mode: 'ingress', target: clo + k, published: String(hlo + k), protocol }, hostIp));
  }
  return out;
}

function withIp(p: PortConfig, ip: string | undefined): PortConfig {
  return ip === undefined ? p : { mode: p.mode, host_ip: ip, target: p.target, ...(p.published === undefined ? {} : { published: p.published }), protocol: p.protocol };
}
