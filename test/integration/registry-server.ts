/**
 * A real registry for the tests: Debian's docker-registry (distribution) on 127.0.0.1 with
 * a free port and a temp storage dir; optionally htpasswd basic auth, TLS with a CA made
 * here, or token auth through a small token service (below) that signs JWTs for it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, createSign, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { exec, freePort } from './harness.js';

export const REGISTRY_BIN = '/usr/bin/docker-registry';

export interface RegistryServerOptions {
  /** Basic auth with these users (htpasswd, bcrypt). */
  readonly htpasswd?: Readonly<Record<string, string>>;
  /** Serve HTTPS with a certificate for 127.0.0.1 signed by a CA made for the test. */
  readonly tls?: boolean;
  /** Token auth: a token service that knows these users; anonymous users may only pull. */
  readonly token?: { readonly users: Readonly<Record<string, string>>; readonly anonymousPull?: boolean };
}

export class RegistryServer {
  private child: ChildProcess | undefined;
  private tokenServer: http.Server | undefined;
  private logText = '';
  /** Scopes asked of the token service, in order. */
  readonly tokenRequests: Array<{ account: string | undefined; scopes: string[] }> = [];
  caCert = '';
  port = 0;

  private constructor(readonly root: string) {}

  /** "127.0.0.1:<port>" */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  get log(): string {
    return this.logText;
  }

  static async start(opts: RegistryServerOptions = {}): Promise<RegistryServer> {
    if ((await exec('sh', ['-c', `test -x ${REGISTRY_BIN}`])).code !== 0) {
      throw new Error(`${REGISTRY_BIN} is missing: install Debian's docker-registry (scripts/setup.sh with BERTH_SETUP_TEST_TOOLS=1)`);
    }
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-registry-'));
    const r = new RegistryServer(root);
    try {
      await r.launch(opts);
    } catch (e: unknown) {
      await r.stop();
      throw e;
    }
    return r;
  }

  private async launch(opts: RegistryServerOptions): Promise<void> {
    this.port = await freePort();
    const lines = [
      'version: 0.1',
      'log:', '  level: warn', '  accesslog:', '    disabled: true',
      'storage:', '  delete:', '    enabled: true', '  filesystem:', `    rootdirectory: ${path.join(this.root, 'data')}`,
      'http:', `  addr: 127.0.0.1:${this.port}`, `  secret: ${randomBytes(16).toString('hex')}`,
    ];
    if (opts.tls === true) {
      await this.makeTls();
      lines.push('  tls:', `    certificate: ${path.join(this.root, 'server.crt')}`, `    key: ${path.join(this.root, 'server.key')}`);
    }
    if (opts.htpasswd !== undefined) {
      const file = path.join(this.root, 'htpasswd');
      let text = '';
      for (const [user, pass] of Object.entries(opts.htpasswd)) {
        const h = await exec('htpasswd', ['-Bbn', user, pass]);
        if (h.code !== 0) throw new Error(`htpasswd failed (apache2-utils installed?): ${h.stderr}`);
        text += h.stdout.trim() + '\n';
      }
      await fs.writeFile(file, text);
      lines.push('auth:', '  htpasswd:', '    realm: basic-realm', `    path: ${file}`);
    }
    if (opts.token !== undefined) {
      const realm = await this.startTokenService(opts.token.users, opts.token.anonymousPull ?? true);
      lines.push('auth:', '  token:', `    realm: ${realm}`, '    service: berth-test-registry', '    issuer: berth-test-issuer',
        `    rootcertbundle: ${path.join(this.root, 'token.crt')}`);
    }
    await fs.writeFile(path.join(this.root, 'config.yml'), lines.join('\n') + '\n');
    const child = spawn(REGISTRY_BIN, ['serve', path.join(this.root, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout?.on('data', (d: Buffer) => { this.logText += d.toString(); });
    child.stderr?.on('data', (d: Buffer) => { this.logText += d.toString(); });
    for (let i = 0; i < 200; i++) {
      if (child.exitCode !== null) throw new Error(`registry exited: ${this.logText}`);
      if (await this.answers(opts.tls === true)) return;
      await new Promise((res) => setTimeout(res, 25));
    }
    throw new Error(`registry did not answer: ${this.logText}`);
  }

  private answers(tls: boolean): Promise<boolean> {
    return new Promise((resolve) => {
      const req = (tls ? https : http).request({ host: '127.0.0.1', port: this.port, path: '/v2/', rejectUnauthorized: false }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('error', () => resolve(false));
      req.end();
    });
  }

  private async openssl(args: readonly string[]): Promise<void> {
    const r = await exec('openssl', args);
    if (r.code !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  }

  /** A CA, and a server certificate for 127.0.0.1 it signed. */
  private async makeTls(): Promise<void> {
    const f = (n: string): string => path.join(this.root, n);
    await this.openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=berth test CA', '-keyout', f('ca.key'), '-out', f('ca.crt')]);
    await this.openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', f('server.key'), '-out', f('server.csr')]);
    await fs.writeFile(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
    await this.openssl(['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', f('ext.cnf'), '-out', f('server.crt')]);
    this.caCert = await fs.readFile(f('ca.crt'), 'utf8');
  }

  /** The token service: Basic-authenticated users get what they ask for, anonymous ones pull only. */
  private async startTokenService(users: Readonly<Record<string, string>>, anonymousPull: boolean): Promise<string> {
    const f = (n: string): string => path.join(this.root, n);
    await this.openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=berth token signer', '-keyout', f('token.key'), '-out', f('token.crt')]);
    const key = await fs.readFile(f('token.key'), 'utf8');
    const certDer = Buffer.from((await fs.readFile(f('token.crt'), 'utf8')).replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    const b64 = (v: unknown): string => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      let account: string | undefined;
      const authz = req.headers.authorization;
      if (authz !== undefined) {
        const [user = '', pass = ''] = Buffer.from(authz.replace(/^Basic /, ''), 'base64').toString().split(':');
        if (users[user] !== pass) {
          res.writeHead(401, { 'Content-Type': 'application/json' });
          res.end('{"details":"incorrect username or password"}');
          return;
        }
        account = user;
      }
      const scopes = url.searchParams.getAll('scope');
      this.tokenRequests.push({ account, scopes });
      const access = scopes.flatMap((s) => {
        const [type = '', name = '', actions = ''] = s.split(':');
        const granted = actions.split(',').filter((a) => account !== undefined || (anonymousPull && a === 'pull'));
        return granted.length > 0 ? [{ type, name, actions: granted }] : [];
      });
      const now = Math.floor(Date.now() / 1000);
      const header = { typ: 'JWT', alg: 'RS256', x5c: [certDer.toString('base64')] };
      const claims = { iss: 'berth-test-issuer', sub: account ?? '', aud: 'berth-test-registry', exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access };
      const signing = `${b64(header)}.${b64(claims)}`;
      const sig = createSign('RSA-SHA256').update(signing).sign(key).toString('base64url');
      const token = `${signing}.${sig}`;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    this.tokenServer = server;
    return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/token`;
  }

  /** Uploads a blob (monolithic) to `repo` over plain HTTP; its digest. */
  async uploadBlob(repo: string, data: Buffer): Promise<string> {
    const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
    const start = await this.http('POST', `/v2/${repo}/blobs/uploads/`);
    if (start.status !== 202) throw new Error(`upload start: ${start.status} ${start.body}`);
    const loc = new URL(start.location ?? '', `http://${this.host}`);
    loc.searchParams.set('digest', digest);
    const put = await this.http('PUT', loc.pathname + loc.search, data, 'application/octet-stream');
    if (put.status !== 201) throw new Error(`upload: ${put.status} ${put.body}`);
    return digest;
  }

  /** The manifest stored under `reference`, parsed. */
  async manifest(repo: string, reference: string): Promise<{ config: { digest: string }; layers: Array<{ digest: string; size: number; mediaType: string }> }> {
    return new Promise((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: this.port, path: `/v2/${repo}/manifests/${reference}`, headers: { Accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => { text += c.toString(); });
        res.on('end', () => {
          try {
            resolve(JSON.parse(text) as { config: { digest: string }; layers: Array<{ digest: string; size: number; mediaType: string }> });
          } catch (e: unknown) {
            reject(e instanceof Error ? e : new Error(String(e)));
          }
        });
      }).on('error', reject);
    });
  }

  /** The file where the registry keeps a blob. */
  blobFile(digest: string): string {
    const hex = digest.replace(/^sha256:/, '');
    return path.join(this.root, 'data/docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
  }

  /** PUTs a manifest or index document under a tag or digest; its digest. */
  async putManifest(repo: string, reference: string, mediaType: string, doc: unknown): Promise<{ digest: string; bytes: Buffer }> {
    const bytes = Buffer.from(JSON.stringify(doc));
    const put = await this.http('PUT', `/v2/${repo}/manifests/${reference}`, bytes, mediaType);
    if (put.status !== 201) throw new Error(`manifest: ${put.status} ${put.body}`);
    return { digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, bytes };
  }

  private http(method: string, urlPath: string, body?: Buffer, contentType?: string): Promise<{ status: number; body: string; location: string | undefined }> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: this.port, method, path: urlPath, headers: { ...(contentType !== undefined ? { 'Content-Type': contentType } : {}), 'Content-Length': String(body?.length ?? 0) } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => { text += c.toString(); });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, location: res.headers.location }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Writes the CA where a daemon's registry-certs-dir expects it for this registry. */
  async installCa(certsDir: string): Promise<void> {
    await fs.mkdir(path.join(certsDir, this.host), { recursive: true });
    await fs.writeFile(path.join(certsDir, this.host, 'ca.crt'), this.caCert);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((res) => child.once('exit', res));
      child.kill('SIGTERM');
      await exited;
    }
    this.child = undefined;
    if (this.tokenServer !== undefined) {
      this.tokenServer.closeAllConnections();
      await new Promise((res) => this.tokenServer?.close(res));
    }
    await fs.rm(this.root, { recursive: true, force: true });
  }
}

export interface ProxyHooks {
  /** Called for every request first; true: the hook took it over. */
  beforeRequest?(req: http.IncomingMessage, res: http.ServerResponse): boolean;
  /** Called for each blob GET before it is forwarded; true: the hook answered (or will never answer). */
  beforeBlob?(digest: string, res: http.ServerResponse): boolean;
  /** Called with the registry's answer to a blob GET; true: the hook sends the body itself. */
  blobResponse?(digest: string, upstream: http.IncomingMessage, res: http.ServerResponse): boolean;
}

/** An HTTP proxy in front of a registry (another "registry host" for the same storage), for fault injection. */
export async function startProxy(reg: RegistryServer, hooks: ProxyHooks): Promise<{ host: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (hooks.beforeRequest?.(req, res) === true) return;
    const digest = req.method === 'GET' ? /\/blobs\/(sha256:[0-9a-f]{64})/.exec(req.url ?? '')?.[1] : undefined;
    if (digest !== undefined && hooks.beforeBlob?.(digest, res) === true) return;
    const up = http.request({ host: '127.0.0.1', port: reg.port, method: req.method, path: req.url, headers: req.headers }, (ur) => {
      res.writeHead(ur.statusCode ?? 500, ur.headers);
      if (digest !== undefined && hooks.blobResponse?.(digest, ur, res) === true) return;
      ur.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    host: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
