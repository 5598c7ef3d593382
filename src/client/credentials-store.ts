/**
 * Registry credentials as the docker CLI keeps them: `config.json` in $DOCKER_CONFIG or
 * ~/.docker (`auths` with base64 "user:password"), or in a credential helper
 * (`credsStore`, `credHelpers`: docker-credential-<name> get|store|erase). The file is
 * written atomically with mode 0600. Secrets never go into messages.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/';

export interface Credentials {
  readonly username: string;
  /** A password, or the identity token when `username` is "<token>". */
  readonly secret: string;
}

export function configDir(): string {
  const env = process.env['DOCKER_CONFIG'];
  return env !== undefined && env !== '' ? env : path.join(os.homedir(), '.docker');
}

/** The config.json key of a registry: Docker Hub's legacy URL, or the host as typed. */
export function serverKey(domainOrServer: string): string {
  const s = domainOrServer.trim().replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  if (s === '' || s === 'docker.io' || s === 'index.docker.io' || s === 'registry-1.docker.io') return DOCKER_HUB_SERVER;
  return s;
}

type ConfigFile = Record<string, unknown> & { auths?: Record<string, Record<string, unknown>>; credsStore?: string; credHelpers?: Record<string, string> };

export class CredentialsStore {
  constructor(readonly dir: string = configDir()) {}

  get file(): string {
    return path.join(this.dir, 'config.json');
  }

  private async read(): Promise<ConfigFile> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (e: unknown) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw e;
    }
    if (text.trim() === '') return {};
    const v = JSON.parse(text) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${this.file}: not a JSON object`);
    return v as ConfigFile;
  }

  private async write(cfg: ConfigFile): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const tmp = path.join(this.dir, `.config.json.${randomBytes(4).toString('hex')}`);
    const fh = await fs.open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(JSON.stringify(cfg, null, '\t'));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.chmod(tmp, 0o600);
    await fs.rename(tmp, this.file);
  }

  /** The helper that holds `key`'s credentials, if any. */
  private helperFor(cfg: ConfigFile, key: string): string | undefined {
    const specific = cfg.credHelpers?.[key] ?? cfg.credHelpers?.[key.replace(/^https?:\/\//, '')];
    if (typeof specific === 'string' && specific !== '') return specific;
    return typeof cfg.credsStore === 'string' && cfg.credsStore !== '' ? cfg.credsStore : undefined;
  }

  /** Where a login is stored: the helper's name, or the file. */
  async storage(server: string): Promise<{ helper: string } | { file: string }> {
    const helper = this.helperFor(await this.read(), serverKey(server));
    return helper !== undefined ? { helper } : { file: this.file };
  }

  async get(server: string): Promise<Credentials | undefined> {
    const key = serverKey(server);
    const cfg = await this.read();
    const helper = this.helperFor(cfg, key);
    if (helper !== undefined) {
      const r = await runHelper(helper, 'get', key);
      if (r.code !== 0) return undefined; // "credentials not found in native keychain"
      try {
        const v = JSON.parse(r.stdout) as { Username?: unknown; Secret?: unknown };
        if (typeof v.Username === 'string' && typeof v.Secret === 'string' && v.Secret !== '') return { username: v.Username, secret: v.Secret };
      } catch {
        return undefined;
      }
      return undefined;
    }
    const entry = cfg.auths?.[key] ?? cfg.auths?.[`https://${key}`] ?? cfg.auths?.[`http://${key}`];
    if (entry === undefined) return undefined;
    if (typeof entry['identitytoken'] === 'string' && entry['identitytoken'] !== '') {
      return { username: '<token>', secret: entry['identitytoken'] };
    }
    if (typeof entry['auth'] === 'string' && entry['auth'] !== '') {
      const plain = Buffer.from(entry['auth'], 'base64').toString('utf8');
      const colon = plain.indexOf(':');
      if (colon > 0) return { username: plain.slice(0, colon), secret: plain.slice(colon + 1) };
    }
    return undefined;
  }

  async store(server: string, creds: Credentials): Promise<void> {
    const key = serverKey(server);
    const cfg = await this.read();
    const helper = this.helperFor(cfg, key);
    const auths = { ...(cfg.auths ?? {}) };
    if (helper !== undefined) {
      const r = await runHelper(helper, 'store', JSON.stringify({ ServerURL: key, Username: creds.username, Secret: creds.secret }));
      if (r.code !== 0) throw new Error(`error storing credentials - err: exit status ${r.code}, out: \`${r.stdout.trim() || r.stderr.trim()}\``);
      auths[key] = {};
    } else {
      auths[key] = creds.username === '<token>'
        ? { identitytoken: creds.secret }
        : { auth: Buffer.from(`${creds.username}:${creds.secret}`).toString('base64') };
    }
    await this.write({ ...cfg, auths });
  }

  /** Removes a login; false when there was none. */
  async erase(server: string): Promise<boolean> {
    const key = serverKey(server);
    const cfg = await this.read();
    const helper = this.helperFor(cfg, key);
    let found = cfg.auths?.[key] !== undefined;
    if (helper !== undefined) {
      const r = await runHelper(helper, 'erase', key);
      found = found || r.code === 0;
    }
    if (cfg.auths?.[key] !== undefined) {
      const auths = { ...cfg.auths };
      delete auths[key];
      await this.write({ ...cfg, auths });
    }
    return found;
  }

  /** The `X-Registry-Auth` header value for a registry domain (empty JSON when not logged in). */
  async registryAuth(domain: string): Promise<string> {
    const creds = await this.get(domain).catch(() => undefined);
    const server = serverKey(domain);
    const auth = creds === undefined ? {} : creds.username === '<token>'
      ? { identitytoken: creds.secret, serveraddress: server }
      : { username: creds.username, password: creds.secret, serveraddress: server };
    return encodeRegistryAuth(auth);
  }
}

/** base64url of the JSON, as the docker CLI sends it. */
export function encodeRegistryAuth(auth: Record<string, string>): string {
  return Buffer.from(JSON.stringify(auth)).toString('base64url');
}

function runHelper(helper: string, action: 'get' | 'store' | 'erase', input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(`docker-credential-${helper}`, [action], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', (e) => resolve({ code: 127, stdout: '', stderr: e.message }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}
