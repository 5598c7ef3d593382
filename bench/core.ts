/**
 * Engine core figures: `berth run --rm busybox true` wall time (median of 20),
 * 20 parallel `run -d`, the daemon's idle RSS and the monitor memory per running
 * container. With DOCKER_HOST set to another Engine API daemon, the same runs go
 * through the official docker CLI there and the ratios are printed.
 *
 *   node dist/bench/core.js            (after npm run build; as root)
 */
import { promises as fs } from 'node:fs';
import { DOCKER, exec, TestDaemon } from '../test/integration/harness.js';
import { median, timed } from './timing.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 20);



async function memKb(pid: number, field: 'VmRSS' | 'Pss'): Promise<number> {
  const file = field === 'Pss' ? `/proc/${pid}/smaps_rollup` : `/proc/${pid}/status`;
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return m === null ? 0 : Number(m[1]);
}

interface Figures {
  runMedianMs: number;
  parallelMs: number;
}

async function measure(cli: string, env: NodeJS.ProcessEnv): Promise<Figures & { ids: string[] }> {
  for (let i = 0; i < 3; i++) await timed(cli, ['run', '--rm', 'busybox', 'true'], env);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await timed(cli, ['run', '--rm', 'busybox', 'true'], env));
  const t0 = Date.now();
  const outs = await Promise.all(Array.from({ length: RUNS }, () => exec(cli, ['run', '-d', 'busybox', 'sleep', '600'], { env })));
  const parallelMs = Date.now() - t0;
  const ids = outs.map((o) => o.stdout.trim()).filter(Boolean);
  return { runMedianMs: median(times), parallelMs, ids };
}

async function main(): Promise<void> {
  const d = await TestDaemon.start();
  try {
    await new Promise((r) => setTimeout(r, 1000));
    const daemonPid = d.pid ?? 0;
    const idleRss = await memKb(daemonPid, 'VmRSS');
    const berthEnv = { ...process.env, BERTH_HOST: d.host };
    const b = await measure('bin/berth', berthEnv);
    const conmons = (await exec('pgrep', ['-f', `conmon.*${d.root}`])).stdout.split('\n').filter(Boolean).map(Number);
    const rss = await Promise.all(conmons.map((p) => memKb(p, 'VmRSS')));
    const pss = await Promise.all(conmons.map((p) => memKb(p, 'Pss')));
    const busyRss = await memKb(daemonPid, 'VmRSS');
    await exec('bin/berth', ['rm', '-f', ...b.ids], { env: berthEnv });
    const avg = (xs: number[]): number => xs.reduce((a, x) => a + x, 0) / Math.max(1, xs.length);
    console.log(`berth (${(await d.berth(['info', '-f', '{{.DefaultRuntime}}'])).stdout.trim()} runtime)`);
    console.log(`  run --rm busybox true, median of ${RUNS}: ${b.runMedianMs.toFixed(1)} ms`);
    console.log(`  ${RUNS} parallel run -d:               ${b.parallelMs.toFixed(0)} ms`);
    console.log(`  daemon RSS idle:                    ${(idleRss / 1024).toFixed(1)} MB (with ${RUNS} containers: ${(busyRss / 1024).toFixed(1)} MB)`);
    console.log(`  monitor per container:              ${(avg(rss) / 1024).toFixed(2)} MB RSS, ${(avg(pss) / 1024).toFixed(2)} MB PSS (${conmons.length} conmon)`);
    // The same daemon through the official (Go) CLI: separates the daemon's share from the Node CLI's startup.
    const viaDocker: number[] = [];
    const onBerth = { ...process.env, DOCKER_HOST: d.host };
    for (let i = 0; i < 3; i++) await timed(DOCKER, ['run', '--rm', 'busybox', 'true'], onBerth);
    for (let i = 0; i < RUNS; i++) viaDocker.push(await timed(DOCKER, ['run', '--rm', 'busybox', 'true'], onBerth));
    console.log(`  same, driven by the docker CLI:     ${median(viaDocker).toFixed(1)} ms`);
    const other = process.env['DOCKER_HOST'];
    if (other !== undefined && other !== '' && other !== d.host) {
      const dockerEnv = { ...process.env, DOCKER_HOST: other };
      const o = await measure(DOCKER, dockerEnv);
      await exec(DOCKER, ['rm', '-f', ...o.ids], { env: dockerEnv });
      console.log(`other daemon at ${other} (docker CLI)`);
      console.log(`  run --rm busybox true, median: ${o.runMedianMs.toFixed(1)} ms   ratio berth/other: ${(b.runMedianMs / o.runMedianMs).toFixed(2)}`);
      console.log(`  ${RUNS} parallel run -d:          ${o.parallelMs.toFixed(0)} ms   ratio berth/other: ${(b.parallelMs / o.parallelMs).toFixed(2)}`);
    }
  } finally {
    await d.cleanup();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
