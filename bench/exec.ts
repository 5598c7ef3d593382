/**
 * `exec <container> true` latency: the median of 30 through the berth CLI and
 * through the official docker CLI against berth, and, with DOCKER_HOST set to
 * another Engine API daemon, through the docker CLI there, with the ratio.
 *
 *   node dist/bench/exec.js            (after npm run build; as root)
 */
import { DOCKER, exec, TestDaemon } from '../test/integration/harness.js';
import { median, timed } from './timing.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 30);

async function execMedian(cli: string, env: NodeJS.ProcessEnv, container: string): Promise<number> {
  for (let i = 0; i < 3; i++) await timed(cli, ['exec', container, 'true'], env);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await timed(cli, ['exec', container, 'true'], env));
  return median(times);
}

async function main(): Promise<void> {
  const d = await TestDaemon.start();
  try {
    const berthEnv = { ...process.env, BERTH_HOST: d.host };
    const onBerth = { ...process.env, DOCKER_HOST: d.host };
    const id = (await d.docker(['run', '-d', 'busybox', 'sleep', '3600'])).stdout.trim();
    const viaBerth = await execMedian('bin/berth', berthEnv, id);
    const viaDocker = await execMedian(DOCKER, onBerth, id);
    console.log(`berth: exec <id> true, median of ${RUNS}`);
    console.log(`  berth CLI:                ${viaBerth.toFixed(1)} ms`);
    console.log(`  docker CLI against berth: ${viaDocker.toFixed(1)} ms`);
    const other = process.env['DOCKER_HOST'];
    if (other !== undefined && other !== '' && other !== d.host) {
      const env = { ...process.env, DOCKER_HOST: other };
      const otherId = (await exec(DOCKER, ['run', '-d', 'busybox', 'sleep', '3600'], { env })).stdout.trim();
      try {
        const o = await execMedian(DOCKER, env, otherId);
        console.log(`other daemon at ${other} (docker CLI): ${o.toFixed(1)} ms   ratio berth/other: ${(viaDocker / o).toFixed(2)}`);
      } finally {
        await exec(DOCKER, ['rm', '-f', otherId], { env });
      }
    }
  } finally {
    await d.cleanup();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
