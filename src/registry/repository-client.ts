import type { IncomingMessage } from 'node:http';
import { Transform, type Readable } from 'node:stream';
import { isDigest, sha256Digest, type Digest } from '../content/digest.js';
import { EngineError, invalidArgument } from '../engine-error.js';
import { MAX_MANIFEST_BYTES } from './manifest.js';
import { registryError } from './registry-error.js';
import { drain, readLimitedBuffer, type RegistrySession } from './registry-session.js';

export interface FetchedManifest {
  readonly bytes: Buffer;
  readonly mediaType: string;
  readonly digest: Digest;
}

/** Where blob bytes go while downloading; the caller verifies digest and size at the end. */
export interface BlobSink {
  write(chunk: Buffer): Promise<void>;
  /** Drops what was written (a server that ignores Range makes us start again). */
  reset(): Promise<void>;
}

export interface UploadSource {
  readonly digest: Digest;
  readonly size: number;
  /** The blob's bytes from `start` (inclusive) to `end` (exclusive). */
  open(start: number, end: number): Readable;
}

const RETRIES = 5;

/** The distribution API of one repository (`/v2/<name>/...`) over a session. */
export class RepositoryClient {
  /** Bytes above which an upload goes in chunks (PATCH with Content-Range) instead of one PUT. */
  chunkThreshold = 32 * 1024 * 1024;
  chunkSize = 16 * 1024 * 1024;

  constructor(
    private readonly session: RegistrySession,
    /** The repository path in the registry: "library/busybox". */
    readonly name: string,
    private readonly scopes: readonly string[],
  ) {}

  private path(rest: string): string {
    return `/v2/${this.name}/${rest}`;
  }

  /**
   * GETs a manifest by tag or digest and checks it: by digest, the bytes must hash to it;
   * by tag, to the `Docker-Content-Digest` the registry names (when it names one).
   */
  async getManifest(reference: string, accept: readonly string[], signal?: AbortSignal): Promise<FetchedManifest> {
    const res = await this.session.send('GET', this.path(`manifests/${reference}`), { scopes: this.scopes, headers: { Accept: accept.join(', ') }, ...(signal !== undefined ? { signal } : {}) });
    if (res.statusCode !== 200) throw registryError(res.statusCode ?? 500, await drain(res), this.session.endpoint.host);
    const declared = Number(res.headers['content-length'] ?? '0');
    if (declared > MAX_MANIFEST_BYTES) {
      res.destroy();
      throw invalidArgument(`manifest too large: ${declared} bytes`);
    }
    const bytes = await readLimitedBuffer(res, MAX_MANIFEST_BYTES);
    const digest = sha256Digest(bytes);
    if (isDigest(reference) && digest !== reference) throw invalidArgument(`manifest verification failed for digest ${reference}`);
    const header = res.headers['docker-content-digest'];
    if (typeof header === 'string' && isDigest(header) && header !== digest) {
      throw invalidArgument(`manifest verification failed: registry says ${header}, content is ${digest}`);
    }
    return { bytes, mediaType: String(res.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '', digest };
  }

  /**
   * Downloads a blob into `sink`, never more than `size` bytes. A broken connection is
   * retried, resuming with a Range request where the registry allows it.
   */
  async fetchBlob(digest: Digest, size: number, sink: BlobSink, onProgress: (bytes: number) => void, signal?: AbortSignal): Promise<void> {
    let written = 0;
    let lastError: unknown;
    for (let attempt = 0; attempt < RETRIES; attempt++) {
      if (attempt > 0) await sleep(Math.min(200 * 2 ** attempt, 3000), signal);
      let res: IncomingMessage;
      try {
        res = await this.session.send('GET', this.path(`blobs/${digest}`), {
          scopes: this.scopes, ...(signal !== undefined ? { signal } : {}),
          ...(written > 0 ? { headers: { Range: `bytes=${written}-` } } : {}),
        });
      } catch (e: unknown) {
        if (!retryable(e, signal)) throw e;
        lastError = e;
        continue;
      }
      if (res.statusCode === 200 && written > 0) {
        await sink.reset();
        written = 0;
        onProgress(0);
      } else if (res.statusCode !== 200 && res.statusCode !== 206) {
        const err = registryError(res.statusCode ?? 500, await drain(res), this.session.endpoint.host);
        if ((res.statusCode ?? 0) >= 500 || res.statusCode === 429) {
          lastError = err;
          continue;
        }
        throw err;
      }
      try {
        for await (const chunk of res) {
          const buf = chunk as Buffer;
          if (written + buf.length > size) {
            res.destroy();
            throw invalidArgument(`blob ${digest} is larger than the ${size} bytes its manifest says`);
          }
          await sink.write(buf);
          written += buf.length;
          onProgress(written);
        }
        if (!res.complete) throw Object.assign(new Error('connection closed before the blob was complete'), { code: 'ECONNRESET' });
        return;
      } catch (e: unknown) {
        if (!retryable(e, signal)) throw e;
        lastError = e;
      }
    }
    throw new EngineError('unavailable', `failed to download ${digest} after ${RETRIES} attempts: ${lastError instanceof Error ? lastError.message : String(lastError)}`, { cause: lastError });
  }

  /** The repository's tags (`GET /v2/<name>/tags/list`, following `Link` pages). */
  async listTags(signal?: AbortSignal): Promise<string[]> {
    const tags: string[] = [];
    let next: string | undefined = this.path('tags/list');
    for (let page = 0; next !== undefined && page < 100; page++) {
      const res = await this.session.send('GET', next, { scopes: this.scopes, ...(signal !== undefined ? { signal } : {}) });
      if (res.statusCode !== 200) throw registryError(res.statusCode ?? 500, await drain(res), this.session.endpoint.host);
      const text = (await readLimitedBuffer(res, 16 * 1024 * 1024)).toString('utf8');
      let v: unknown;
      try {
        v = JSON.parse(text);
      } catch {
        throw invalidArgument('invalid tag list from the registry');
      }
      const list = (typeof v === 'object' && v !== null ? (v as { tags?: unknown }).tags : undefined);
      if (Array.isArray(list)) for (const t of list) if (typeof t === 'string' && /^[\w][\w.-]{0,127}$/.test(t)) tags.push(t);
      const link = res.headers.link;
      next = typeof link === 'string' ? /<([^>]+)>;\s*rel="?next"?/.exec(link)?.[1] : undefined;
    }
    return tags;
  }

  /** Whether the registry has the blob in this repository (HEAD). */
  async blobExists(digest: Digest, signal?: AbortSignal): Promise<boolean> {
    const res = await this.session.send('HEAD', this.path(`blobs/${digest}`), { scopes: this.scopes, ...(signal !== undefined ? { signal } : {}) });
    res.resume();
    if (res.statusCode === 200) return true;
    if (res.statusCode === 404) return false;
    throw registryError(res.statusCode ?? 500, '', this.session.endpoint.host);
  }

  /**
   * Asks the registry to mount a blob from another repository. True when mounted; false
   * when the registry opened an upload instead (whose location is returned for reuse).
   */
  async mountBlob(digest: Digest, from: string, signal?: AbortSignal): Promise<{ mounted: true } | { mounted: false; location: string }> {
    const q = new URLSearchParams({ mount: digest, from });
    const res = await this.session.send('POST', `${this.path('blobs/uploads/')}?${q.toString()}`, {
      scopes: [...this.scopes, `repository:${from}:pull`], ...(signal !== undefined ? { signal } : {}),
    });
    const body = await drain(res);
    if (res.statusCode === 201) return { mounted: true };
    if (res.statusCode === 202 && typeof res.headers.location === 'string') return { mounted: false, location: res.headers.location };
    throw registryError(res.statusCode ?? 500, body, this.session.endpoint.host);
  }

  /** Opens an upload session: its location. */
  async startUpload(signal?: AbortSignal): Promise<string> {
    const res = await this.session.send('POST', this.path('blobs/uploads/'), { scopes: this.scopes, ...(signal !== undefined ? { signal } : {}) });
    const body = await drain(res);
    if (res.statusCode !== 202 || typeof res.headers.location !== 'string') throw registryError(res.statusCode ?? 500, body, this.session.endpoint.host);
    return res.headers.location;
  }

  /**
   * Uploads a blob to an open session: one PUT for a small blob (monolithic), PATCH chunks
   * with Content-Range and a closing PUT for a large one. The registry's
   * `Docker-Content-Digest` must name the blob we sent.
   */
  async upload(location: string, src: UploadSource, onProgress: (bytes: number) => void, signal?: AbortSignal): Promise<void> {
    const sig = signal !== undefined ? { signal } : {};
    let loc = location;
    if (src.size <= this.chunkThreshold) {
      const res = await this.session.send('PUT', withDigest(this.session.url(loc), src.digest), {
        scopes: this.scopes, ...sig,
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(src.size) },
        body: () => counting(src.open(0, src.size), onProgress, 0),
      });
      await this.checkBlobCreated(res, src.digest);
      return;
    }
    for (let start = 0; start < src.size; start += this.chunkSize) {
      const end = Math.min(src.size, start + this.chunkSize);
      const res = await this.session.send('PATCH', this.session.url(loc).toString(), {
        scopes: this.scopes, ...sig,
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(end - start), 'Content-Range': `${start}-${end - 1}` },
        body: () => counting(src.open(start, end), onProgress, start),
      });
      const body = await drain(res);
      if (res.statusCode !== 202 || typeof res.headers.location !== 'string') throw registryError(res.statusCode ?? 500, body, this.session.endpoint.host);
      loc = res.headers.location;
    }
    const res = await this.session.send('PUT', withDigest(this.session.url(loc), src.digest), { scopes: this.scopes, ...sig });
    await this.checkBlobCreated(res, src.digest);
  }

  /**
   * Streams a blob whose digest is known only at its end (a layer compressed on the fly, as
   * Docker pushes) in one PATCH, then closes the upload with the digest `finish` gives.
   * `body` is called once.
   */
  async uploadStream(location: string, body: () => Readable, finish: () => Promise<Digest>, signal?: AbortSignal): Promise<Digest> {
    const sig = signal !== undefined ? { signal } : {};
    let made = false;
    const res = await this.session.send('PATCH', this.session.url(location).toString(), {
      scopes: this.scopes, ...sig,
      headers: { 'Content-Type': 'application/octet-stream', 'Transfer-Encoding': 'chunked' },
      body: () => {
        if (made) throw new EngineError('unavailable', 'the upload was interrupted');
        made = true;
        return body();
      },
    });
    const text = await drain(res);
    if (res.statusCode !== 202 || typeof res.headers.location !== 'string') throw registryError(res.statusCode ?? 500, text, this.session.endpoint.host);
    const digest = await finish();
    const put = await this.session.send('PUT', withDigest(this.session.url(res.headers.location), digest), { scopes: this.scopes, ...sig });
    await this.checkBlobCreated(put, digest);
    return digest;
  }

  private async checkBlobCreated(res: IncomingMessage, digest: Digest): Promise<void> {
    const body = await drain(res);
    if (res.statusCode !== 201) throw registryError(res.statusCode ?? 500, body, this.session.endpoint.host);
    const got = res.headers['docker-content-digest'];
    if (typeof got === 'string' && got !== '' && got !== digest) throw invalidArgument(`registry stored ${got} for blob ${digest}`);
  }

  /** PUTs a manifest under a tag or digest; the registry's `Docker-Content-Digest` must match its bytes. */
  async putManifest(reference: string, mediaType: string, bytes: Buffer, signal?: AbortSignal): Promise<Digest> {
    const res = await this.session.send('PUT', this.path(`manifests/${reference}`), {
      scopes: this.scopes, ...(signal !== undefined ? { signal } : {}),
      headers: { 'Content-Type': mediaType }, body: () => bytes,
    });
    const body = await drain(res);
    if (res.statusCode !== 201 && res.statusCode !== 200) throw registryError(res.statusCode ?? 500, body, this.session.endpoint.host);
    const digest = sha256Digest(bytes);
    const got = res.headers['docker-content-digest'];
    if (typeof got === 'string' && got !== '' && got !== digest) throw invalidArgument(`registry stored manifest ${got}, expected ${digest}`);
    return digest;
  }
}

function withDigest(u: URL, digest: Digest): string {
  const url = new URL(u);
  url.searchParams.set('digest', digest);
  return url.toString();
}

/** Passes a stream through, reporting the running byte count (from `base`). */
function counting(stream: Readable, onProgress: (bytes: number) => void, base: number): Readable {
  let n = base;
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      onProgress(n);
      cb(null, chunk);
    },
  });
  stream.on('error', (e) => t.destroy(e));
  return stream.pipe(t);
}

function retryable(e: unknown, signal: AbortSignal | undefined): boolean {
  if (signal?.aborted === true) return false;
  if (e instanceof EngineError && e.kind !== 'unavailable') return false;
  return true;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });
}
