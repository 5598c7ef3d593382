import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeOutput, parseTable, TestDaemon, type RunResult } from './harness.js';

/** What a run looks like once the program's name, IDs and relative times are set aside. */
function comparable(r: RunResult, fromDocker: boolean): RunResult {
  const text = (s: string): string => normalizeOutput(fromDocker ? s.replace(/docker/g, 'berth') : s);
  return { code: r.code, stdout: text(r.stdout), stderr: text(r.stderr) };
}

/** Columns line up: every cell starts where its title starts, after a space. */
function assertAligned(table: string): void {
  const [header = '', ...rows] = table.split('\n').filter((l) => l !== '');
  const starts = [...header.matchAll(/(?:^|(?<= {2}))\S/g)].map((m) => m.index ?? 0).slice(1);
  for (const row of rows) {
    for (const s of starts) {
      if (row.length > s) assert.equal(row[s - 1], ' ', `column at ${s} of ${JSON.stringify(row)}`);
    }
  }
}

describe('berth and docker give the same output for the same command', () => {
  let d: TestDaemon;
  const ids: Record<string, string> = {};

  before(async () => {
    d = await TestDaemon.start();
    const created = await d.berth(['create', '--name', 'created', 'busybox', 'true']);
    const exited0 = await d.berth(['run', '-d', '--name', 'exited0', 'busybox', 'true']);
    const exited3 = await d.berth(['run', '-d', '--name', 'exited3', 'busybox', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    const running = await d.berth(['run', '-d', '--name', 'running', 'busybox', 'sleep', '300']);
    for (const [name, r] of Object.entries({ created, exited0, exited3, running })) {
      assert.equal(r.code, 0, r.stderr);
      ids[name] = r.stdout.trim();
    }
    await d.berth(['wait', 'exited0', 'exited3']);
  });
  after(async () => { await d?.cleanup(); });

  /** Runs `args` through both CLIs, asserts the normalized results are equal and returns berth's. */
  const same = async (args: readonly string[]): Promise<RunResult> => {
    const b = await d.berth(args);
    const k = await d.docker(args);
    assert.deepEqual(comparable(b, false), comparable(k, true), `berth ${args.join(' ')}`);
    return b;
  };

  it('ps -a lists created, running and exited containers in the same table', async () => {
    const r = await same(['ps', '-a']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^CONTAINER ID {3,}IMAGE {3,}COMMAND {3,}CREATED {3,}STATUS {3,}PORTS {3,}NAMES\n/);
    assertAligned(r.stdout);
    assertAligned((await d.docker(['ps', '-a'])).stdout);
    const rows = parseTable(r.stdout);
    // Newest first.
    assert.deepEqual(rows.map((row) => row['NAMES']), ['running', 'exited3', 'exited0', 'created']);
    const byName = new Map(rows.map((row) => [row['NAMES'], row]));
    assert.equal(byName.get('created')?.['STATUS'], 'Created');
    assert.match(byName.get('running')?.['STATUS'] ?? '', /^Up (Less than a second|\d+ seconds?)$/);
    assert.match(byName.get('exited3')?.['STATUS'] ?? '', /^Exited \(3\) (Less than a second|\d+ seconds?) ago$/);
    assert.equal(byName.get('exited3')?.['COMMAND'], '"sh -c \'echo out; ec…"');
    assert.equal(byName.get('running')?.['CONTAINER ID'], ids['running']?.slice(0, 12));
    assert.equal(byName.get('running')?.['IMAGE'], 'busybox');
  });

  it('ps --format \'{{.Names}} {{.Status}}\' lists running containers only', async () => {
    const r = await same(['ps', '--format', '{{.Names}} {{.Status}}']);
    assert.match(r.stdout, /^running Up .+\n$/);
  });

  it('ps --format json prints one JSON object per line with Docker\'s fields', async () => {
    const r = await same(['ps', '-a', '--format', 'json']);
    const k = await d.docker(['ps', '-a', '--format', 'json']);
    const parse = (s: string): Array<Record<string, unknown>> => s.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    const fromBerth = parse(r.stdout);
    const fromDocker = parse(k.stdout);
    assert.equal(fromBerth.length, 4);
    assert.deepEqual(fromBerth.map((c) => Object.keys(c).sort()), fromDocker.map((c) => Object.keys(c).sort()));
    const exited3 = fromBerth.find((c) => c['Names'] === 'exited3');
    assert.equal(exited3?.['ID'], ids['exited3']?.slice(0, 12));
    assert.equal(exited3?.['State'], 'exited');
    assert.equal(exited3?.['Image'], 'busybox');
    assert.equal(fromBerth.find((c) => c['Names'] === 'running')?.['State'], 'running');
    assert.equal(fromBerth.find((c) => c['Names'] === 'created')?.['State'], 'created');
  });

  it('ps -q prints the short IDs of running containers', async () => {
    const r = await same(['ps', '-q']);
    assert.equal(r.stdout, `${ids['running']?.slice(0, 12)}\n`);
    assert.equal((await same(['ps', '-aq'])).stdout.split('\n').filter(Boolean).length, 4);
  });

  it('ps -n 1 shows the latest container whatever its state', async () => {
    const r = await same(['ps', '-n', '1', '--format', '{{.Names}}']);
    assert.equal(r.stdout, 'running\n');
    const table = await same(['ps', '-n', '2']);
    assert.deepEqual(parseTable(table.stdout).map((row) => row['NAMES']), ['running', 'exited3']);
  });

  it('ps --filter status=exited --filter exited=3 keeps the containers that match both', async () => {
    const r = await same(['ps', '--filter', 'status=exited', '--filter', 'exited=3']);
    assert.deepEqual(parseTable(r.stdout).map((row) => row['NAMES']), ['exited3']);
    const either = await same(['ps', '-a', '--filter', 'status=exited', '--filter', 'status=created', '--format', '{{.Names}}']);
    assert.equal(either.stdout, 'exited3\nexited0\ncreated\n');
  });

  it('images lists busybox in the same table', async () => {
    const r = await same(['images']);
    const rows = parseTable(r.stdout);
    assert.deepEqual(rows.map((row) => `${row['REPOSITORY']}:${row['TAG']}`), ['busybox:latest']);
  });

  it('inspect -f evaluates a template with the json function for each container', async () => {
    const r = await same(['inspect', '-f', '{{.State.ExitCode}} {{json .Config.Cmd}}', 'exited3', 'running']);
    // The docker CLI's json function does not escape HTML characters.
    assert.equal(r.stdout, '3 ["sh","-c","echo out; echo err >&2; exit 3"]\n0 ["sleep","300"]\n');
  });

  it('logs writes the container\'s stdout and stderr to the matching streams', async () => {
    const r = await same(['logs', 'exited3']);
    assert.equal(r.stdout, 'out\n');
    assert.equal(r.stderr, 'err\n');
  });

  it('usage errors print the same message and usage with the same exit code', async () => {
    const rm = await same(['rm']);
    assert.equal(rm.code, 1);
    assert.equal(rm.stderr, 'berth: \'berth rm\' requires at least 1 argument\n\nUsage:  berth rm [OPTIONS] CONTAINER [CONTAINER...]\n\nSee \'berth rm --help\' for more information\n');
    const ps = await same(['ps', '--nope']);
    assert.equal(ps.code, 125);
    assert.match(ps.stderr, /^unknown flag: --nope\n\nUsage:  berth ps \[OPTIONS\]\n/);
    const rename = await same(['rename', 'a']);
    assert.equal(rename.code, 1);
    assert.match(rename.stderr, /^berth: 'berth rename' requires 2 arguments\n\nUsage:  berth rename CONTAINER NEW_NAME\n/);
  });

  it('rm of a missing container fails with the daemon\'s message', async () => {
    const r = await same(['rm', 'nosuch']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error response from daemon: No such container: nosuch\n');
  });

  it('stop of a stopped container succeeds and prints its name', async () => {
    const r = await same(['stop', 'exited0']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'exited0\n');
  });

  it('version --format shows the same server; the clients differ only in their own version', async () => {
    assert.equal((await same(['version', '--format', '{{.Server.APIVersion}}'])).stdout, '1.47\n');
    await same(['version', '--format', '{{.Server.Version}} {{.Server.Os}}/{{.Server.Arch}} {{.Server.MinAPIVersion}}']);
    // Each client reports its own version, but both speak the server's API version.
    const b = await d.berth(['version', '--format', '{{.Client.Version}} {{.Client.APIVersion}}']);
    const k = await d.docker(['version', '--format', '{{.Client.Version}} {{.Client.APIVersion}}']);
    const server = (await d.berth(['version', '--format', '{{.Server.Version}}'])).stdout.trim();
    assert.equal(b.stdout, `${server} 1.47\n`);
    assert.match(k.stdout, /^\d+\.\d+\.\d+\S* 1\.47\n$/);
  });

  it('info --format counts the same containers and images', async () => {
    assert.equal((await same(['info', '--format', '{{.Containers}} {{.Images}}'])).stdout, '4 1\n');
    assert.equal((await same(['info', '--format', '{{.ContainersRunning}} {{.ContainersPaused}} {{.ContainersStopped}}'])).stdout, '1 0 3\n');
  });
});
