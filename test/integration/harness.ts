/**
 * Integration test harness: a real berth daemon on a private socket, data root
 * and exec root, driven through the berth CLI, the official docker CLI and raw
 * HTTP. Requirements (root, runc, conmon, overlayfs, the busybox tarball) are
 * checked first: on our machines and in CI a missing one is a setup bug and fails.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const BERTH = path.join(REPO, 'bin/berth');
export const BUSYBOX_TAR = path.join(REPO, '.cache/base-images/busybox.tar');
export const DOCKER = existsSync('/usr/local/bin/docker') ? '/usr/local/bin/docker' : 'docker';

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function exec(cmd: string, args: readonly string[], opts: { env?: NodeJS.ProcessEnv; input?: string | Buffer; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(cmd, [...args], { env: opts.env ?? process.env, maxBuffer: 64 * 1024 * 1024, timeout: opts.timeoutMs ?? 60_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1;
      resolve({ code, stdout, stderr });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

export async function checkRequirements(): Promise<void> {
  const problems: string[] = [];
  if (process.getuid?.() !== 0) problems.push('tests must run as root');
  for (const bin of ['runc', 'conmon', 'tar', 'mount']) {
    if ((await exec('sh', ['-c', `command -v ${bin}`])).code !== 0) problems.push(`${bin} is not installed (run scripts/setup.sh)`);
  }
  if (!(await fs.readFile('/proc/filesystems', 'utf8')).includes('overlay')) problems.push('the kernel has no overlayfs');
  if (!existsSync(BUSYBOX_TAR)) problems.push(`${BUSYBOX_TAR} is missing (run scripts/base-images.sh --only busybox --no-import)`);
  if ((await exec(DOCKER, ['--version'])).code !== 0) problems.push('the docker CLI is missing (scripts/setup.sh installs one for tests)');
  if (problems.length > 0) throw new Error(`integration test requirements not met:\n- ${problems.join('\n- ')}`);
}

export class TestDaemon {
  private static count = 0;
  readonly socket: string;
  readonly host: string;
  readonly dataRoot: string;
  readonly execRoot: string;
  private child: ChildProcess | undefined;
  private logText = '';

  /** The default bridge of this daemon: its own device and subnet, so daemons never share one. */
  readonly bridge: string;
  readonly bip: string;

  private constructor(readonly root: string) {
    const n = (process.pid * 7 + TestDaemon.count++) % 250;
    this.bridge = `bt${process.pid % 10000}x${TestDaemon.count}`;
    this.bip = `10.${200 + (n % 50)}.${n}.1/24`;
    this.socket = path.join(root, 'berth.sock');
    this.host = `unix://${this.socket}`;
    this.dataRoot = path.join(root, 'data');
    this.execRoot = path.join(root, 'exec');
  }

  /** Starts a daemon on a fresh private root; with `busybox`, imports busybox:latest. */
  static async start(opts: { busybox?: boolean; runtime?: string; daemonJson?: Record<string, unknown> } = {}): Promise<TestDaemon> {
    await checkRequirements();
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-it-'));
    const d = new TestDaemon(root);
    d.daemonJson = opts.daemonJson ?? {};
    await d.launch(opts.runtime);
    if (opts.busybox !== false) {
      const r = await d.berth(['import', '--change', 'CMD ["sh"]', BUSYBOX_TAR, 'busybox:latest']);
      if (r.code !== 0) throw new Error(`importing busybox failed: ${r.stderr}`);
    }
    return d;
  }

  private runtime: string | undefined;
  private daemonJson: Record<string, unknown> = {};

  async launch(runtime?: string): Promise<void> {
    this.runtime = runtime ?? this.runtime;
    const args = ['daemon', '-H', this.host, '--data-root', this.dataRoot, '--exec-root', this.execRoot,
      '--pidfile', path.join(this.root, 'berth.pid'), '--config-file', path.join(this.root, 'daemon.json')];
    await fs.writeFile(path.join(this.root, 'daemon.json'), JSON.stringify({ bridge: this.bridge, bip: this.bip, ...this.daemonJson }));
    if (this.runtime !== undefined) args.push('--runtime', this.runtime);
    const child = spawn(BERTH, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout?.on('data', (d: Buffer) => { this.logText += d.toString(); });
    child.stderr?.on('data', (d: Buffer) => { this.logText += d.toString(); });
    for (let i = 0; i < 400; i++) {
      if (child.exitCode !== null) throw new Error(`daemon exited: ${this.logText}`);
      if (await this.ping()) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`daemon did not answer: ${this.logText}`);
  }

  get log(): string {
    return this.logText;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  private ping(): Promise<boolean> {
    return new Promise((resolve) => {
      const req = http.request({ socketPath: this.socket, path: '/_ping' }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('error', () => resolve(false));
      req.end();
    });
  }

  berth(args: readonly string[], opts: { input?: string | Buffer; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
    return exec(BERTH, args, { ...opts, env: { ...process.env, ...opts.env, BERTH_HOST: this.host } });
  }

  docker(args: readonly string[], opts: { input?: string | Buffer; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
    return exec(DOCKER, args, { ...opts, env: { ...process.env, ...opts.env, DOCKER_HOST: this.host, DOCKER_CONFIG: path.join(this.root, 'docker-config') } });
  }

  /** A raw API request; `body` is JSON-encoded unless it is a Buffer. */
  request(method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string; json: unknown }> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
      const req = http.request({
        socketPath: this.socket, method, path: urlPath,
        headers: { ...(payload !== undefined && !Buffer.isBuffer(body) ? { 'Content-Type': 'application/json' } : {}), ...headers },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try { json = JSON.parse(text); } catch { json = undefined; }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json });
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Stops the daemon (SIGTERM, or SIGKILL to simulate a crash); containers keep running. */
  async stopDaemon(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    // bin/berth execs node: the child is the daemon itself.
    child.kill(signal);
    await exited;
    this.child = undefined;
  }

  /** Removes every container, stops the daemon and deletes the private root. */
  async cleanup(): Promise<void> {
    if (this.child !== undefined) {
      const ids = (await this.berth(['ps', '-aq'])).stdout.split('\n').filter(Boolean);
      if (ids.length > 0) await this.berth(['rm', '-f', ...ids]);
      const nets = (await this.request('GET', '/v1.47/networks')).json;
      for (const n of Array.isArray(nets) ? nets as Array<{ Name: string; Id: string }> : []) {
        if (!['bridge', 'host', 'none'].includes(n.Name)) await this.request('DELETE', `/v1.47/networks/${n.Id}`);
      }
      await this.stopDaemon();
    }
    // Anything left behind by a failed test: monitors, mounts.
    const conmons = (await exec('pgrep', ['-f', `conmon.*${this.root}`])).stdout.split('\n').filter(Boolean);
    for (const pid of conmons) {
      try { process.kill(Number(pid), 'SIGKILL'); } catch { /* gone */ }
    }
    const mounts = (await fs.readFile('/proc/self/mountinfo', 'utf8')).split('\n')
      .map((l) => l.split(' ')[4] ?? '').filter((m) => m.startsWith(this.root)).sort().reverse();
    for (const m of mounts) await exec('umount', ['-l', m]);
    const state = path.join(this.execRoot, 'runtime');
    for (const rt of ['runc', 'crun']) {
      const dir = path.join(state, rt);
      for (const id of await fs.readdir(dir).catch(() => [] as string[])) {
        await exec(rt, ['--root', dir, 'delete', '--force', id]);
      }
    }
    for (const ns of await fs.readdir(path.join(this.execRoot, 'netns')).catch(() => [] as string[])) {
      await exec('umount', ['-l', path.join(this.execRoot, 'netns', ns)]);
    }
    await exec('ip', ['link', 'del', this.bridge]);
    // The default bridge's per-network rules (a daemon keeps them while it lives).
    const rules = (await exec('iptables-save', [])).stdout.split('\n');
    let table = 'filter';
    for (const line of rules) {
      if (line.startsWith('*')) table = line.slice(1);
      if (line.startsWith('-A ') && line.includes(this.bridge)) await exec('iptables', ['-w', '-t', table, ...line.replace(/^-A /, '-D ').match(/(?:[^\s"]+|"[^"]*")+/g)?.map((a) => a.replace(/^"|"$/g, '')) ?? []]);
    }
    await fs.rm(this.root, { recursive: true, force: true });
  }
}

/** Waits until `check` returns true (polling), or fails after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Replaces IDs and relative times so outputs of two CLIs can be compared. Tables
 * are padded to their widest cell, and a time text's width changes from one
 * second to the next, so runs of spaces become two spaces.
 */
export function normalizeOutput(s: string): string {
  return s
    .replace(/\b[0-9a-f]{64}\b/g, '<ID>')
    .replace(/\b[0-9a-f]{12}\b/g, '<SHORTID>')
    .replace(/(Less than a second|About a minute|About an hour|\d+ (seconds?|minutes|hours|days|weeks|months|years))( ago)?/g, '<TIME>$3')
    .replace(/ {2,}/g, '  ');
}

/**
 * Splits a docker-style table (a header, then one line per row) into rows keyed by
 * column title. Columns start where the header's titles start (titles such as
 * "IMAGE ID" hold single spaces, columns are separated by at least two).
 */
export function parseTable(text: string): Array<Record<string, string>> {
  const [header = '', ...lines] = text.split('\n').filter((l) => l !== '');
  const starts = [...header.matchAll(/(?:^|(?<= {2}))\S/g)].map((m) => m.index ?? 0);
  const titles = starts.map((s, i) => header.slice(s, starts[i + 1]).trim());
  return lines.map((line) => Object.fromEntries(titles.map((t, i) => [t, line.slice(starts[i], starts[i + 1]).trim()])));
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}
