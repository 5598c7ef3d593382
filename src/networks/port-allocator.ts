import dgram from 'node:dgram';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import { conflict, EngineError, errnoCode } from '../engine-error.js';
import type { PortBinding, PortMapping } from './network.js';

/**
 * Host ports handed to containers: the daemon's own bookkeeping (two containers
 * never get the same one) plus a bind test (a host process holding the port
 * makes the start fail, as with Docker's proxy).
 */
export class PortAllocator {
  private readonly used = new Map<string, string>();
  private cursor = 0;

  private key(protocol: string, hostIp: string, port: number): string {
    return `${protocol}/${hostIp === '' ? '0.0.0.0' : hostIp}/${port}`;
  }

  private takenBy(protocol: string, hostIp: string, port: number): string | undefined {
    for (const ip of hostIp === '' || hostIp === '0.0.0.0' ? [...this.ipsUsing(protocol, port)] : [hostIp, '0.0.0.0']) {
      const owner = this.used.get(this.key(protocol, ip, port));
      if (owner !== undefined) return owner;
    }
    return undefined;
  }

  private ipsUsing(protocol: string, port: number): string[] {
    const out: string[] = [];
    for (const k of this.used.keys()) {
      const [p, ip, n] = k.split('/');
      if (p === protocol && Number(n) === port && ip !== undefined) out.push(ip);
    }
    return out;
  }

  /** Picks and records the host ports of `bindings` for container `owner`; all or nothing. */
  async reserve(owner: string, bindings: readonly PortBinding[]): Promise<PortMapping[]> {
    const out: PortMapping[] = [];
    try {
      for (const b of bindings) {
        const hostPort = await this.pick(b);
        this.used.set(this.key(b.protocol, b.hostIp, hostPort), owner);
        out.push({ containerPort: b.containerPort, protocol: b.protocol, hostIp: b.hostIp === '' ? '0.0.0.0' : b.hostIp, hostPort });
      }
    } catch (e: unknown) {
      this.release(owner);
      throw e;
    }
    return out;
  }

  /** Records ports a running container already holds (after a daemon restart). */
  restore(owner: string, mappings: readonly PortMapping[]): void {
    for (const m of mappings) this.used.set(this.key(m.protocol, m.hostIp, m.hostPort), owner);
  }

  release(owner: string): void {
    for (const [k, v] of [...this.used]) if (v === owner) this.used.delete(k);
  }

  private async pick(b: PortBinding): Promise<number> {
    const display = `${b.hostIp === '' ? '0.0.0.0' : b.hostIp}`;
    if (b.hostPort !== 0 && b.hostPortEnd === undefined) {
      if (this.takenBy(b.protocol, b.hostIp, b.hostPort) !== undefined) {
        throw conflict(`Bind for ${display}:${b.hostPort} failed: port is already allocated`);
      }
      await this.checkFree(b.protocol, b.hostIp, b.hostPort, true);
      return b.hostPort;
    }
    const [lo, hi] = b.hostPort !== 0 ? [b.hostPort, b.hostPortEnd ?? b.hostPort] : await ephemeralRange();
    const count = hi - lo + 1;
    const start = b.hostPort !== 0 ? 0 : this.cursor;
    for (let i = 0; i < count; i++) {
      const port = lo + ((start + i) % count);
      if (this.takenBy(b.protocol, b.hostIp, port) !== undefined) continue;
      if (!(await this.checkFree(b.protocol, b.hostIp, port, false))) continue;
      if (b.hostPort === 0) this.cursor = (start + i + 1) % count;
      return port;
    }
    throw conflict(b.hostPort !== 0
      ? `Bind for ${display}:${b.hostPort}-${b.hostPortEnd ?? b.hostPort} failed: port is already allocated`
      : 'all ports are allocated');
  }

  /** Whether a host process could bind the port; with `strict`, a taken port is an error with Docker's text. */
  private async checkFree(protocol: string, hostIp: string, port: number, strict: boolean): Promise<boolean> {
    if (protocol === 'sctp') return true;
    const host = hostIp === '' ? '0.0.0.0' : hostIp;
    try {
      await (protocol === 'udp' ? bindUdp(host, port) : listenTcp(host, port));
      return true;
    } catch (e: unknown) {
      if (!strict) return false;
      const why = errnoCode(e) === 'EADDRINUSE' ? 'bind: address already in use' : (e instanceof Error ? e.message : String(e));
      throw new EngineError('internal', `failed to bind host port ${host}:${port}/${protocol}: listen ${protocol}4 ${host}:${port}: ${why}`);
    }
  }
}

function listenTcp(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen({ host, port, exclusive: true }, () => s.close(() => resolve()));
  });
}

function bindUdp(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.once('error', reject);
    s.bind({ address: host, port, exclusive: true }, () => s.close(() => resolve()));
  });
}

async function ephemeralRange(): Promise<[number, number]> {
  const text = await fs.readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').catch(() => '32768 60999');
  const [lo = 32768, hi = 60999] = text.trim().split(/\s+/).map(Number);
  return [lo, hi];
}
