/**
 * Networking figures: what the default bridge adds to a container start (median
 * of `run --rm busybox true` on bridge minus on none), and the throughput of a
 * published port under wrk (Debian's `wrk`). With DOCKER_HOST set to another
 * Engine API daemon, the same runs there, with ratios.
 *
 *   node dist/bench/network.js            (after npm run build; as root; apt-get install wrk)
 */
import { DOCKER, exec, freePort, TestDaemon } from '../test/integration/harness.js';
import { median, timed } from './timing.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 20);




async function startCost(cli: string, env: NodeJS.ProcessEnv): Promise<{ none: number; bridge: number }> {
  const out = { none: 0, bridge: 0 };
  for (const network of ['none', 'bridge'] as const) {
    for (let i = 0; i < 3; i++) await timed(cli, ['run', '--rm', '--network', network, 'busybox', 'true'], env);
    const xs: number[] = [];
    for (let i = 0; i < RUNS; i++) xs.push(await timed(cli, ['run', '--rm', '--network', network, 'busybox', 'true'], env));
    out[network] = median(xs);
  }
  return out;
}

async function throughput(cli: string, env: NodeJS.ProcessEnv): Promise<string> {
  if ((await exec('sh', ['-c', 'command -v wrk'])).code !== 0) return 'wrk not installed (apt-get install wrk)';
  const port = await freePort();
  const id = (await exec(cli, ['run', '-d', '-p', `${port}:80`, 'busybox', 'sh', '-c',
    'mkdir -p /www && head -c 1024 /dev/zero > /www/index.html && exec httpd -f -p 80 -h /www'], { env })).stdout.trim();
  await new Promise((r) => setTimeout(r, 500));
  const r = await exec('wrk', ['-t2', '-c32', '-d5s', `http://127.0.0.1:${port}/`], { timeoutMs: 30_000 });
  await exec(cli, ['rm', '-f', id], { env });
  return /Requests\/sec:\s+([\d.]+)/.exec(r.stdout)?.[1] ?? `wrk failed: ${r.stderr.trim()}`;
}

async function main(): Promise<void> {
  const d = await TestDaemon.start();
  try {
    const viaDocker = { ...process.env, DOCKER_HOST: d.host };
    const b = await startCost(DOCKER, viaDocker);
    console.log('berth, driven by the docker CLI');
    console.log(`  run --rm true, median of ${RUNS}: none ${b.none.toFixed(1)} ms, bridge ${b.bridge.toFixed(1)} ms: bridge adds ${(b.bridge - b.none).toFixed(1)} ms`);
    const rps = await throughput(DOCKER, viaDocker);
    console.log(`  published port, 1 KiB responses from busybox httpd, wrk -t2 -c32 5s: ${rps} requests/s`);
    const other = process.env['DOCKER_HOST'];
    if (other !== undefined && other !== '' && other !== d.host) {
      const env = { ...process.env, DOCKER_HOST: other };
      const o = await startCost(DOCKER, env);
      const orps = await throughput(DOCKER, env);
      console.log(`other daemon at ${other}`);
      console.log(`  bridge adds ${(o.bridge - o.none).toFixed(1)} ms; published port ${orps} requests/s; ratio berth/other ${(Number(rps) / Number(orps)).toFixed(2)}`);
    }
  } finally {
    await d.cleanup();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
