import dgram from 'node:dgram';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import dnsPacket from 'dns-packet';

/** What the resolver answers from: the running containers of one network. */
export interface DnsRecords {
  /** IPv4 addresses of the containers called `name` (name, alias or short ID) on the network. */
  lookup(networkId: string, name: string): string[];
  /** The name of the container that has `ip` on the network, for reverse lookups. */
  reverse(networkId: string, ip: string): string | undefined;
  /** Where to send other questions from `clientIp` (its --dns, else the host's resolvers). */
  forwarders(networkId: string, clientIp: string): Promise<string[]>;
}

interface Server {
  readonly udp: dgram.Socket;
  readonly tcp: net.Server;
}

const TTL = 600;

/**
 * The embedded DNS server of user-defined networks: one per network, listening on
 * the network's gateway address (the bridge's own address on the host). It answers
 * container names, aliases and short IDs of that network and forwards the rest.
 */
export class EmbeddedDns {
  private readonly servers = new Map<string, Server>();

  constructor(private readonly records: DnsRecords, private readonly log: (msg: string) => void) {}

  async serve(networkId: string, address: string): Promise<void> {
    if (this.servers.has(networkId)) return;
    const udp = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    udp.on('message', (msg, rinfo) => {
      void this.answer(networkId, msg, rinfo.address).then((reply) => {
        if (reply !== undefined) udp.send(reply, rinfo.port, rinfo.address);
      });
    });
    udp.on('error', (e) => this.log(`dns ${address}: ${e.message}`));
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(53, address, () => {
        udp.off('error', reject);
        resolve();
      });
    });
    const tcp = net.createServer((sock) => this.serveTcp(networkId, sock));
    tcp.on('error', (e) => this.log(`dns tcp ${address}: ${e.message}`));
    try {
      // A failed listen (the address taken by someone else) must fail the call, not leave it waiting.
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(53, address, () => {
          tcp.off('error', reject);
          resolve();
        });
      });
    } catch (e: unknown) {
      udp.close();
      throw e;
    }
    this.servers.set(networkId, { udp, tcp });
  }

  stop(networkId: string): void {
    const s = this.servers.get(networkId);
    if (s === undefined) return;
    s.udp.close();
    s.tcp.close();
    this.servers.delete(networkId);
  }

  stopAll(): void {
    for (const id of [...this.servers.keys()]) this.stop(id);
  }

  private serveTcp(networkId: string, sock: net.Socket): void {
    let buf = Buffer.alloc(0);
    sock.on('error', () => undefined);
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2) {
        const len = buf.readUInt16BE(0);
        if (buf.length < 2 + len) break;
        const msg = buf.subarray(2, 2 + len);
        buf = buf.subarray(2 + len);
        void this.answer(networkId, msg, sock.remoteAddress ?? '').then((reply) => {
          if (reply === undefined || sock.destroyed) return;
          const head = Buffer.alloc(2);
          head.writeUInt16BE(reply.length);
          sock.write(Buffer.concat([head, reply]));
        });
      }
    });
  }

  /** The reply to one query: from the network's containers, else from a forwarder. */
  async answer(networkId: string, msg: Buffer, clientIp: string): Promise<Buffer | undefined> {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return undefined;
    }
    const q = query.questions?.[0];
    if (q === undefined) return undefined;
    const name = q.name.replace(/\.$/, '').toLowerCase();
    const local = this.localAnswer(networkId, q.type, name, q.name);
    if (local !== undefined) {
      return dnsPacket.encode({
        id: query.id ?? 0, type: 'response', flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | dnsPacket.AUTHORITATIVE_ANSWER,
        questions: [q], answers: local,
      });
    }
    for (const server of await this.records.forwarders(networkId, clientIp)) {
      const reply = await forwardUdp(msg, server).catch(() => undefined);
      if (reply !== undefined) return reply;
    }
    return dnsPacket.encode({ id: query.id ?? 0, type: 'response', flags: dnsPacket.RECURSION_DESIRED | 2 /* SERVFAIL */, questions: [q] });
  }

  private localAnswer(networkId: string, type: string, name: string, asked: string): dnsPacket.Answer[] | undefined {
    if (type === 'PTR') {
      const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa$/.exec(name);
      if (m === null) return undefined;
      const ip = `${m[4] ?? ''}.${m[3] ?? ''}.${m[2] ?? ''}.${m[1] ?? ''}`;
      const owner = this.records.reverse(networkId, ip);
      return owner === undefined ? undefined : [{ type: 'PTR', name: asked, ttl: TTL, class: 'IN', data: owner }];
    }
    if (type !== 'A' && type !== 'AAAA' && type !== 'ANY') return undefined;
    const ips = this.records.lookup(networkId, name);
    if (ips.length === 0) return undefined;
    // A known name: its IPv4 addresses (in a changing order, like Docker), and no IPv6 ones.
    if (type === 'AAAA') return [];
    const offset = Math.floor(Math.random() * ips.length);
    const rotated = [...ips.slice(offset), ...ips.slice(0, offset)];
    return rotated.map((ip) => ({ type: 'A', name: asked, ttl: TTL, class: 'IN', data: ip }));
  }
}

function forwardUdp(msg: Buffer, server: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket(server.includes(':') ? 'udp6' : 'udp4');
    const timer = setTimeout(() => {
      sock.close();
      reject(new Error('timeout'));
    }, 3000);
    sock.on('message', (reply) => {
      clearTimeout(timer);
      sock.close();
      resolve(reply);
    });
    sock.on('error', (e) => {
      clearTimeout(timer);
      sock.close();
      reject(e);
    });
    sock.send(msg, 53, server);
  });
}

/** The host's name servers (the daemon runs on the host: loopback ones work too). */
export async function hostNameservers(file = '/etc/resolv.conf'): Promise<string[]> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  const out = text.split('\n').map((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1]).filter((s): s is string => s !== undefined);
  return out.length > 0 ? out : ['8.8.8.8'];
}
