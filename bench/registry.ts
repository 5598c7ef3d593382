/**
 * Registry figures: push and pull of a ~150 MB image (4 layers on busybox, half random
 * bytes, half text) against a local registry (Debian's docker-registry on 127.0.0.1),
 * wall time of the CLI command. With DOCKER_HOST set to another Engine API daemon, the
 * same image is pushed and pulled there through the official docker CLI, and ratios printed.
 *
 *   node dist/bench/registry.js            (after npm run build; as root)
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { BUSYBOX_TAR, DOCKER, exec, TestDaemon } from '../test/integration/harness.js';
import { RegistryServer } from '../test/integration/registry-server.js';
import { median, timed } from './timing.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const LAYER_MB = Number(process.env['BENCH_LAYER_MB'] ?? 37);

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** A docker-load archive (older format) of busybox plus 4 layers of LAYER_MB each. */
async function makeArchive(dir: string): Promise<{ file: string; bytes: number }> {
  const layers: Buffer[] = [await fs.readFile(BUSYBOX_TAR)];
  for (let i = 0; i < 4; i++) {
    const content = path.join(dir, `content${i}`);
    await fs.mkdir(path.join(content, `data${i}`), { recursive: true });
    const half = (LAYER_MB * 1024 * 1024) / 2;
    await fs.writeFile(path.join(content, `data${i}`, 'random.bin'), randomBytes(half));
    const line = `layer ${i}: the quick brown fox jumps over the lazy dog ${'0123456789'.repeat(4)}\n`;
    await fs.writeFile(path.join(content, `data${i}`, 'text.txt'), line.repeat(Math.ceil(half / line.length)));
    const tar = path.join(dir, `layer${i}.tar`);
    const r = await exec('tar', ['-cf', tar, '-C', content, `data${i}`]);
    if (r.code !== 0) throw new Error(r.stderr);
    layers.push(await fs.readFile(tar));
  }
  const root = path.join(dir, 'archive');
  await fs.mkdir(root, { recursive: true });
  const names: string[] = [];
  for (const [i, l] of layers.entries()) {
    await fs.mkdir(path.join(root, `l${i}`));
    await fs.writeFile(path.join(root, `l${i}`, 'layer.tar'), l);
    names.push(`l${i}/layer.tar`);
  }
  const config = Buffer.from(JSON.stringify({
    architecture: 'amd64', os: 'linux', config: { Cmd: ['sh'] }, created: new Date(0).toISOString(),
    rootfs: { type: 'layers', diff_ids: layers.map((l) => `sha256:${sha256(l)}`) },
  }));
  await fs.writeFile(path.join(root, `${sha256(config)}.json`), config);
  await fs.writeFile(path.join(root, 'manifest.json'), JSON.stringify([{ Config: `${sha256(config)}.json`, RepoTags: ['bench/big:1'], Layers: names }]));
  const file = path.join(dir, 'big.tar');
  const r = await exec('tar', ['-cf', file, '-C', root, '.']);
  if (r.code !== 0) throw new Error(r.stderr);
  return { file, bytes: layers.reduce((n, l) => n + l.length, 0) };
}

interface Figures {
  pushMs: number;
  pullMs: number;
}

/**
 * Each run loads the image from its archive (plain-tar layers, as after a build or import, so
 * the push compresses them), pushes it to a new, empty registry, removes every local copy and
 * pulls it back.
 */
async function measure(cli: string, env: NodeJS.ProcessEnv, label: string, archive: string): Promise<Figures> {
  const pushes: number[] = [];
  const pulls: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const reg = await RegistryServer.start();
    try {
      const ref = `${reg.host}/bench-${label}/big:1`;
      await run(cli, ['load', '-i', archive], env);
      await run(cli, ['tag', 'bench/big:1', ref], env);
      pushes.push(await timed(cli, ['push', '-q', ref], env));
      // Drop every local copy so the pull fetches and unpacks all layers.
      const id = (await exec(cli, ['image', 'inspect', '-f', '{{.Id}}', ref], { env })).stdout.trim();
      await run(cli, ['rmi', '-f', id], env);
      const images = await exec(cli, ['images', '-q'], { env });
      if (images.stdout.trim() !== '') throw new Error(`images left before the pull: ${images.stdout}`);
      pulls.push(await timed(cli, ['pull', '-q', ref], env));
      await run(cli, ['rmi', '-f', (await exec(cli, ['image', 'inspect', '-f', '{{.Id}}', ref], { env })).stdout.trim()], env);
    } finally {
      await reg.stop();
    }
  }
  return { pushMs: median(pushes), pullMs: median(pulls) };
}

async function run(cli: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const r = await exec(cli, args, { env, timeoutMs: 600_000 });
  if (r.code !== 0) throw new Error(`${cli} ${args.join(' ')}: ${r.stderr}`);
}

async function main(): Promise<void> {
  const d = await TestDaemon.start({ busybox: false });
  try {
    const { file, bytes } = await makeArchive(d.root);
    console.log(`image: 5 layers, ${(bytes / 1e6).toFixed(0)} MB uncompressed; a new local registry per run; median of ${RUNS}`);
    const berthEnv = { ...process.env, BERTH_HOST: d.host };
    const b = await measure('bin/berth', berthEnv, 'berth', file);
    console.log('berth (berth CLI)');
    console.log(`  push: ${(b.pushMs / 1000).toFixed(2)} s`);
    console.log(`  pull: ${(b.pullMs / 1000).toFixed(2)} s`);
    const viaDocker = await measure(DOCKER, { ...process.env, DOCKER_HOST: d.host, DOCKER_CONFIG: path.join(d.root, 'docker-config') }, 'berth-docker-cli', file);
    console.log('berth (docker CLI)');
    console.log(`  push: ${(viaDocker.pushMs / 1000).toFixed(2)} s`);
    console.log(`  pull: ${(viaDocker.pullMs / 1000).toFixed(2)} s`);
    const other = process.env['DOCKER_HOST'];
    if (other !== undefined && other !== '' && other !== d.host) {
      const env = { ...process.env, DOCKER_HOST: other };
      const o = await measure(DOCKER, env, 'other', file);
      console.log(`other daemon at ${other} (docker CLI)`);
      console.log(`  push: ${(o.pushMs / 1000).toFixed(2)} s   ratio berth/other: ${(b.pushMs / o.pushMs).toFixed(2)}`);
      console.log(`  pull: ${(o.pullMs / 1000).toFixed(2)} s   ratio berth/other: ${(b.pullMs / o.pullMs).toFixed(2)}`);
    } else {
      console.log('(set DOCKER_HOST to another daemon to compare; Docker 20.10 on this kind of machine per issue 7: push 5.4 s, pull 1.9 s)');
    }
  } finally {
    await d.cleanup();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
