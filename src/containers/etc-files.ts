/** The per-container /etc/hosts, /etc/hostname and /etc/resolv.conf, as Docker writes them. */

export function hostsFile(opts: { hostname: string; domainname: string; ip?: string; extraHosts: readonly string[] }): string {
  const lines = [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::\tip6-localnet',
    'ff00::\tip6-mcastprefix',
    'ff02::1\tip6-allnodes',
    'ff02::2\tip6-allrouters',
  ];
  for (const entry of opts.extraHosts) {
    const i = entry.indexOf(':');
    if (i > 0) lines.push(`${entry.slice(i + 1)}\t${entry.slice(0, i)}`);
  }
  if (opts.ip !== undefined) {
    const names = opts.domainname !== '' ? `${opts.hostname}.${opts.domainname} ${opts.hostname}` : opts.hostname;
    lines.push(`${opts.ip}\t${names}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * The container's resolv.conf: the host's, without loopback name servers (they
 * cannot be reached from another network namespace), or Google's public servers
 * when none are left, as Docker does; `--dns`, `--dns-search` and `--dns-option` replace parts.
 */
export function resolvConf(host: string, opts: { dns: readonly string[]; dnsSearch: readonly string[]; dnsOptions: readonly string[]; keepLoopback: boolean }): string {
  const lines = host.split('\n');
  let nameservers = lines.map((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1]).filter((s): s is string => s !== undefined);
  if (!opts.keepLoopback) nameservers = nameservers.filter((ns) => !/^127\./.test(ns) && ns !== '::1');
  let search = lines.map((l) => /^\s*(?:search|domain)\s+(.+)$/.exec(l)?.[1]?.trim()).filter((s): s is string => s !== undefined).pop();
  let options = lines.map((l) => /^\s*options\s+(.+)$/.exec(l)?.[1]?.trim()).filter((s): s is string => s !== undefined).join(' ');
  if (opts.dns.length > 0) nameservers = [...opts.dns];
  if (nameservers.length === 0) nameservers = ['8.8.8.8', '8.8.4.4'];
  if (opts.dnsSearch.length > 0) search = opts.dnsSearch.join(' ');
  if (opts.dnsOptions.length > 0) options = opts.dnsOptions.join(' ');
  const out: string[] = [];
  if (search !== undefined && search !== '' && search !== '.') out.push(`search ${search}`);
  for (const ns of nameservers) out.push(`nameserver ${ns}`);
  if (options !== '') out.push(`options ${options}`);
  return out.join('\n') + '\n';
}
