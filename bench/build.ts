/**
 * Build figures for a multi-stage Dockerfile: cold build, no-op rebuild and
 * one-file-changed rebuild, through the official docker CLI (legacy builder
 * API), plus the engine's own time for a no-op rebuild (the POST /build
 * request alone, context already packed). With DOCKER_HOST set to another
 * Engine API daemon, the same builds run there too and the ratios are printed.
 *
 *   node dist/bench/build.js            (after npm run build; as root)
 */
import { promises as fs } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { DOCKER, exec, TestDaemon } from '../test/integration/harness.js';
import { median, timed } from './timing.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);

const DOCKERFILE = `FROM busybox AS deps
WORKDIR /deps
COPY deps.txt .
RUN for i in $(seq 1 200); do echo "dep $i" > dep-$i.txt; done && sleep 0.2

FROM busybox AS assets
WORKDIR /assets
RUN for i in $(seq 1 100); do head -c 4096 /dev/urandom > blob-$i.bin; done

FROM busybox AS build
WORKDIR /src
COPY src/ ./
RUN cat *.js > /bundle.js && wc -c /bundle.js

FROM busybox
COPY --from=deps /deps /app/deps
COPY --from=assets /assets /app/assets
COPY --from=build /bundle.js /app/
CMD ["ls", "/app"]
`;

async function makeContext(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-bench-build-'));
  await fs.writeFile(path.join(dir, 'Dockerfile'), DOCKERFILE);
  await fs.writeFile(path.join(dir, 'deps.txt'), 'left-pad\n');
  await fs.mkdir(path.join(dir, 'src'));
  for (let i = 0; i < 50; i++) await fs.writeFile(path.join(dir, 'src', `mod${i}.js`), `export const m${i} = ${i};\n`.repeat(20));
  return dir;
}

interface Figures { coldMs: number; noopMs: number; changedMs: number }

async function measure(env: NodeJS.ProcessEnv, dir: string, tag: string): Promise<Figures> {
  const build = (): Promise<number> => timed(DOCKER, ['build', '-q', '-t', tag, dir], { ...env, DOCKER_BUILDKIT: '0' });
  await exec(DOCKER, ['builder', 'prune', '-f'], { env });
  await exec(DOCKER, ['rmi', '-f', tag], { env });
  const coldMs = await build();
  const noop: number[] = [];
  for (let i = 0; i < RUNS; i++) noop.push(await build());
  const changed: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await fs.writeFile(path.join(dir, 'src', 'mod0.js'), `export const m0 = ${Date.now()};\n`);
    changed.push(await build());
  }
  return { coldMs, noopMs: median(noop), changedMs: median(changed) };
}

/** The daemon's time for one no-op rebuild: the POST /build request with a packed context. */
async function engineNoopMs(socket: string, tar: Buffer, tag: string): Promise<number> {
  const once = (): Promise<number> => new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.request({ socketPath: socket, method: 'POST', path: `/v1.47/build?q=1&t=${tag}`, headers: { 'Content-Type': 'application/x-tar' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(Number(process.hrtime.bigint() - t0) / 1e6));
    });
    req.on('error', reject);
    req.end(tar);
  });
  await once();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await once());
  return median(times);
}

function row(name: string, f: Figures): string {
  return `${name.padEnd(8)} cold ${f.coldMs.toFixed(0).padStart(6)} ms   no-op ${f.noopMs.toFixed(0).padStart(5)} ms   one file changed ${f.changedMs.toFixed(0).padStart(6)} ms`;
}

async function main(): Promise<void> {
  const other = process.env['DOCKER_HOST'];
  const d = await TestDaemon.start({ busybox: true });
  const dir = await makeContext();
  try {
    const b = await measure({ ...process.env, DOCKER_HOST: d.host }, dir, 'bench-build');
    const packed = path.join(dir, '..', `${path.basename(dir)}.tar`);
    await exec('tar', ['-C', dir, '-cf', packed, '.']);
    const engine = await engineNoopMs(d.socket, await fs.readFile(packed), 'bench-build');
    await fs.rm(packed, { force: true });
    console.log(row('berth', b));
    console.log(`berth    engine time of a no-op rebuild (POST /build alone): ${engine.toFixed(1)} ms`);
    if (other !== undefined && other !== '') {
      const o = await measure({ ...process.env, DOCKER_HOST: other }, dir, 'bench-build');
      console.log(row('other', o));
      console.log(`ratio    cold ${(b.coldMs / o.coldMs).toFixed(2)}   no-op ${(b.noopMs / o.noopMs).toFixed(2)}   one file changed ${(b.changedMs / o.changedMs).toFixed(2)}`);
    }
  } finally {
    await d.cleanup();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

await main();
