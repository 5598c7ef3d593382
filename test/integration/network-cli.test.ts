import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeOutput, parseTable, TestDaemon, type RunResult } from './harness.js';

/**
 * A run with the program's name, IDs and column widths set aside. Only "docker" as the
 * program (followed by a space, ":" or a quote) is renamed, not "com.docker.network.*".
 */
function comparable(r: RunResult, fromDocker: boolean): RunResult {
  const text = (s: string): string => normalizeOutput(fromDocker ? s.replace(/\bdocker(?=[ :'])/g, 'berth') : s);
  return { code: r.code, stdout: text(r.stdout), stderr: text(r.stderr) };
}

describe('network commands: berth and docker give the same answers', () => {
  let d: TestDaemon;

  before(async () => { d = await TestDaemon.start(); });
  after(async () => { await d?.cleanup(); });

  /** Runs `args` through both CLIs, asserts the normalized results are equal and returns berth's. */
  const same = async (args: readonly string[], input?: string): Promise<RunResult> => {
    const opts = input !== undefined ? { input } : {};
    const b = await d.berth(args, opts);
    const k = await d.docker(args, opts);
    assert.deepEqual(comparable(b, false), comparable(k, true), `network ${args.join(' ')}`);
    return b;
  };

  const create = async (name: string, ...flags: string[]): Promise<string> => {
    const r = await d.berth(['network', 'create', ...flags, name]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^[0-9a-f]{64}\n$/);
    return r.stdout.trim();
  };

  const remove = async (...names: string[]): Promise<void> => {
    await d.berth(['network', 'rm', '-f', ...names]);
  };

  it('prints the same help for the group and every subcommand', async () => {
    assert.match((await same(['network', '--help'])).stdout, /^Usage: {2}berth network COMMAND\n\nManage networks\n/);
    for (const sub of ['ls', 'list', 'inspect', 'create', 'rm', 'remove', 'prune', 'connect', 'disconnect']) {
      const r = await same(['network', sub, '--help']);
      assert.equal(r.code, 0);
    }
    const top = await d.berth(['--help']);
    assert.match(top.stdout, /\n {2}network {5}Manage networks\n/);
  });

  it('create sends the IPAM config docker builds, and both CLIs see the same network', async () => {
    const id = await create('cfg', '--subnet', '10.78.1.0/24', '--gateway', '10.78.1.254', '--ip-range', '10.78.1.128/25',
      '--internal', '--label', 'com.example.tier=db', '--label', 'bare', '-o', 'com.example.opt=1');
    const fmt = '{{.Id}} {{.Driver}} {{.Internal}} {{range .IPAM.Config}}{{.Subnet}} {{.Gateway}} {{.IPRange}}{{end}} {{json .Labels}} {{json .Options}}';
    const r = await same(['network', 'inspect', '-f', fmt, 'cfg']);
    assert.equal(r.stdout, `${id} bridge true 10.78.1.0/24 10.78.1.254 10.78.1.128/25 {"bare":"","com.example.tier":"db"} {"com.example.opt":"1"}\n`);
    // Created through docker, seen through berth.
    const k = await d.docker(['network', 'create', '--subnet', '10.78.2.0/24', 'fromdocker']);
    assert.equal(k.code, 0, k.stderr);
    assert.equal((await d.berth(['network', 'inspect', '-f', '{{.Name}} {{.Id}}', 'fromdocker'])).stdout, `fromdocker ${k.stdout.trim()}\n`);
    await remove('cfg', 'fromdocker');
  });

  it('create reports docker\'s errors: duplicate name, overlapping subnet, bad CIDR, bad flags', async () => {
    await create('dup', '--subnet', '10.78.3.0/24');
    let r = await same(['network', 'create', 'dup']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error response from daemon: network with name dup already exists\n');
    r = await same(['network', 'create', '--subnet', '10.78.3.0/25', 'overlap']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error response from daemon: invalid pool request: Pool overlaps with other one on this address space\n');
    r = await same(['network', 'create', '--subnet', 'not-a-cidr', 'badcidr']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error response from daemon: .*not-a-cidr/s);
    await remove('dup');

    // Checked by the CLI before any request, with the docker CLI's texts.
    const clientSide: Array<[string[], string]> = [
      [['--gateway', '10.78.4.1'], 'every ip-range or gateway must have a corresponding subnet'],
      [['--subnet', '10.78.4.0/24', '--subnet', '10.78.0.0/16'], 'multiple overlapping subnet configuration is not supported'],
      [['--subnet', 'foo', '--subnet', '10.78.4.0/24'], 'invalid subnet: invalid CIDR address: foo'],
      [['--subnet', '10.78.4.0/24', '--ip-range', '10.78.4.0/33'], 'invalid CIDR address: 10.78.4.0/33'],
      [['--subnet', '10.78.4.0/24', '--ip-range', '10.79.4.0/25'], 'no matching subnet for range 10.79.4.0/25'],
      [['--subnet', '10.78.4.0/24', '--gateway', 'foo'], 'no matching subnet for gateway foo'],
      [['--subnet', '10.78.4.0/24,10.78.5.0/24', '--gateway', '10.78.4.1,10.78.4.2'], 'cannot configure multiple gateways (10.78.4.2, 10.78.4.1) for the same subnet (10.78.4.0/24)'],
      [['--subnet', '10.78.4.0/24', '--aux-address', 'host=10.79.0.1'], 'no matching subnet for aux-address 10.79.0.1'],
    ];
    for (const [flags, message] of clientSide) {
      r = await same(['network', 'create', ...flags, 'never']);
      assert.equal(r.code, 1, flags.join(' '));
      assert.equal(r.stderr, `${message}\n`, flags.join(' '));
    }
    r = await same(['network', 'create', '--label', 'a b=x', 'never']);
    assert.equal(r.code, 125);
    assert.match(r.stderr, /^invalid argument "a b=x" for "--label" flag: label 'a b' contains whitespaces\n/);
    r = await same(['network', 'create']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^berth: 'berth network create' requires 1 argument\n/);
    assert.equal((await d.berth(['network', 'ls', '-q', '-f', 'name=never'])).stdout, '');
  });

  it('ls shows the same table, sorted by name as docker sorts it, with --format, -q, --no-trunc and filters', async () => {
    // One label only: docker prints several in Go's random map order.
    await create('n10', '--subnet', '10.78.10.0/24', '--label', 'a=1');
    await create('n9', '--subnet', '10.78.9.0/24', '--internal');
    const table = await same(['network', 'ls']);
    assert.match(table.stdout, /^NETWORK ID {5}NAME {6}DRIVER {4}SCOPE\n/);
    assert.deepEqual(parseTable(table.stdout).map((row) => row['NAME']), ['bridge', 'host', 'n9', 'n10', 'none']);
    for (const args of [
      ['-q'], ['--no-trunc'], ['--format', 'json'], ['--format', 'raw'], ['-q', '--format', 'raw'],
      ['--format', 'table {{.Name}}\t{{.Label "a"}}\t{{.Internal}}\t{{.IPv4}}\t{{.IPv6}}\t{{.CreatedAt}}'],
      ['--format', '{{.Name}} {{.Labels}} {{json .}}'], ['-q', '--format', '{{.Name}}'],
      ['-f', 'name=n1'], ['-f', 'label=a=1'], ['-f', 'driver=null'], ['-f', 'type=custom', '-f', 'type=builtin'], ['-f', 'dangling=true'],
    ]) {
      assert.equal((await same(['network', 'ls', ...args])).code, 0, args.join(' '));
    }
    assert.equal((await same(['network', 'ls', '--format', '{{.Label "a"}}', '-f', 'name=n10'])).stdout, '1\n');
    const errors: Array<[string[], number, RegExp]> = [
      [['-f', 'foo=bar'], 1, /^Error response from daemon: invalid filter 'foo'\n$/],
      [['-f', 'type=x'], 1, /^Error response from daemon: invalid filter: 'type'='x'\n$/],
      [['-f', 'bad'], 125, /^invalid argument "bad" for "-f, --filter" flag: bad format of filter \(expected name=value\)\n/],
      [['--format', '{{.Foo}}'], 1, /^template parsing error: template: :1:2: executing "" at <\.Foo>: can't evaluate field Foo in type \*network\.networkContext\n$/],
      [['--format', '{{.Name'], 1, /^template parsing error: template: :1: unclosed action\n$/],
      [['extra'], 1, /^berth: 'berth network ls' accepts no arguments\n/],
    ];
    for (const [args, code, stderr] of errors) {
      const r = await same(['network', 'ls', ...args]);
      assert.equal(r.code, code, args.join(' '));
      assert.match(r.stderr, stderr);
    }
    await remove('n9', 'n10');
  });

  it('inspect prints the same JSON and templates, and the same errors for missing networks', async () => {
    await create('insp', '--subnet', '10.78.20.0/24');
    for (const args of [['insp'], ['insp', 'bridge'], ['-f', 'json', 'insp', 'none'], ['-v', 'insp'], ['-f', '{{.Name}} {{.Scope}} {{.EnableIPv6}}', 'insp', 'host']]) {
      assert.equal((await same(['network', 'inspect', ...args])).code, 0, args.join(' '));
    }
    let r = await same(['network', 'inspect', 'nosuch', 'insp']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error response from daemon: network nosuch not found\n');
    r = await same(['network', 'inspect', 'nosuch']);
    assert.deepEqual([r.code, r.stdout], [1, '[]\n']);
    r = await same(['network', 'inspect', ' ']);
    assert.deepEqual([r.code, r.stderr], [1, 'invalid network name or ID: value is empty\n']);
    r = await same(['network', 'inspect', '-f', '{{.Name}', 'insp']);
    assert.equal(r.code, 64);
    r = await same(['network', 'inspect', '-f', '{{.Nope}}', 'insp']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /map has no entry for key "Nope"/);
    await remove('insp');
  });

  it('rm prints each removed name, reports each failure, and exits 1 if any failed', async () => {
    for (const cli of ['berth', 'docker'] as const) {
      await create('rm1', '--subnet', '10.78.30.0/24');
      await create('rm2', '--subnet', '10.78.31.0/24');
      const r = await d[cli](['network', 'rm', 'rm1', 'nosuch', 'rm2', 'bridge']);
      assert.equal(r.code, 1, cli);
      assert.equal(r.stdout, 'rm1\nrm2\n', cli);
      assert.equal(r.stderr, 'Error response from daemon: network nosuch not found\n'
        + 'Error response from daemon: bridge is a pre-defined network and cannot be removed\nexit status 1\n', cli);
    }
    const forced = await same(['network', 'remove', '-f', 'nosuch']);
    assert.deepEqual([forced.code, forced.stdout, forced.stderr], [0, '', '']);
    const empty = await same(['network', 'rm', '']);
    assert.equal(empty.stderr, 'invalid network name or ID: value is empty\nexit status 1\n');
    const none = await same(['network', 'rm']);
    assert.match(none.stderr, /^berth: 'berth network rm' requires at least 1 argument\n/);
  });

  it('rm of a network a running container uses is refused', async () => {
    await create('busy', '--subnet', '10.78.40.0/24');
    assert.equal((await d.berth(['run', '-d', '--name', 'onbusy', '--network', 'busy', 'busybox', 'sleep', '300'])).code, 0);
    const r = await same(['network', 'rm', 'busy']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error response from daemon: error while removing network: network busy id [0-9a-f<>A-Z]+ has active endpoints\nexit status 1\n$/);
    // prune keeps it too.
    await same(['network', 'prune', '-f']);
    assert.notEqual((await d.berth(['network', 'ls', '-q', '-f', 'name=busy'])).stdout, '');
    await d.berth(['rm', '-f', 'onbusy']);
    await remove('busy');
  });

  it('prune asks first, removes unused custom networks and lists them', async () => {
    const prompt = 'WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] ';
    await create('keep', '--subnet', '10.79.1.0/24', '--label', 'keep=1');
    await create('drop', '--subnet', '10.79.2.0/24');
    const no = await same(['network', 'prune'], 'n\n');
    assert.deepEqual([no.code, no.stdout, no.stderr], [0, prompt, '']);
    assert.equal((await d.berth(['network', 'ls', '-q', '-f', 'name=drop'])).stdout.split('\n').filter(Boolean).length, 1);
    const bad = await same(['network', 'prune', '-f', '--filter', 'foo=bar']);
    assert.deepEqual([bad.code, bad.stderr], [1, "Error response from daemon: invalid filter 'foo'\n"]);

    const byLabel = await d.berth(['network', 'prune', '--filter', 'label=keep=1'], { input: 'y\n' });
    assert.deepEqual([byLabel.code, byLabel.stdout], [0, `${prompt}Deleted Networks:\nkeep\n\n`]);
    const all = await d.docker(['network', 'prune', '-f']);
    assert.deepEqual([all.code, all.stdout], [0, 'Deleted Networks:\ndrop\n\n']);
    const nothing = await same(['network', 'prune', '-f']);
    assert.deepEqual([nothing.code, nothing.stdout], [0, '']);
    assert.deepEqual(parseTable((await d.berth(['network', 'ls'])).stdout).map((row) => row['NAME']), ['bridge', 'host', 'none']);
  });

  it('connect and disconnect check their arguments as docker does and pass the daemon\'s answer on', async () => {
    await create('conn', '--subnet', '10.79.3.0/24');
    for (const args of [
      ['connect', 'conn'], ['connect', '', 'c'], ['connect', 'conn', ' '], ['connect', '--driver-opt', 'novalue', 'conn', 'c'],
      ['connect', '--link', 'a:b:c', 'conn', 'c'], ['connect', 'nosuch', 'c'], ['connect', '--alias', 'x,y', '--ip', '10.79.3.9', 'conn', 'c'],
      ['disconnect', 'conn'], ['disconnect', 'nosuch', 'c'], ['disconnect', '-f', 'conn', 'c'],
    ]) {
      const r = await same(['network', ...args]);
      assert.notEqual(r.code, 0, args.join(' '));
    }
    await remove('conn');
  });
});
