import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeOutput, parseTable, TestDaemon, type RunResult } from './harness.js';

/**
 * A run with the program's name, IDs and column widths set aside. Only "docker" as the
 * program (followed by a space, ":" or a quote) is renamed, not "com.docker.volume.anonymous".
 */
function comparable(r: RunResult, fromDocker: boolean): RunResult {
  const text = (s: string): string => normalizeOutput(fromDocker ? s.replace(/\bdocker(?=[ :'])/g, 'berth') : s);
  return { code: r.code, stdout: text(r.stdout), stderr: text(r.stderr) };
}

const INVALID_CHARS = 'includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path';

describe('volume commands: berth and docker give the same answers', () => {
  let d: TestDaemon;

  before(async () => { d = await TestDaemon.start(); });
  after(async () => { await d?.cleanup(); });

  /** Runs `args` through both CLIs, asserts the normalized results are equal and returns berth's. */
  const same = async (args: readonly string[], input?: string): Promise<RunResult> => {
    const opts = input !== undefined ? { input } : {};
    const b = await d.berth(args, opts);
    const k = await d.docker(args, opts);
    assert.deepEqual(comparable(b, false), comparable(k, true), args.join(' '));
    return b;
  };

  const create = async (...args: string[]): Promise<string> => {
    const r = await d.berth(['volume', 'create', ...args]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.trim();
  };

  const names = async (...filters: string[]): Promise<string[]> =>
    (await d.berth(['volume', 'ls', '-q', ...filters.flatMap((f) => ['-f', f])])).stdout.split('\n').filter(Boolean);

  const remove = async (...volumes: string[]): Promise<void> => {
    await d.berth(['volume', 'rm', '-f', ...volumes]);
  };

  it('prints the same help for the group and every subcommand', async () => {
    const group = await same(['volume', '--help']);
    assert.equal(group.stdout, 'Usage:  berth volume COMMAND\n\nManage volumes\n\nCommands:\n'
      + '  create      Create a volume\n'
      + '  inspect     Display detailed information on one or more volumes\n'
      + '  ls          List volumes\n'
      + '  prune       Remove unused local volumes\n'
      + '  rm          Remove one or more volumes\n'
      + "\nRun 'berth volume COMMAND --help' for more information on a command.\n");
    for (const sub of ['create', 'ls', 'list', 'inspect', 'rm', 'remove', 'prune']) {
      assert.equal((await same(['volume', sub, '--help'])).code, 0, sub);
    }
    // The swarm-only flags stay hidden, as docker hides them from a daemon that is no swarm manager.
    assert.doesNotMatch((await d.berth(['volume', 'create', '--help'])).stdout, /--group|--name|--secret/);
    assert.doesNotMatch((await d.berth(['volume', 'ls', '--help'])).stdout, /--cluster/);
    assert.match((await d.berth(['--help'])).stdout, /\n {2}volume {6}Manage volumes\n/);
  });

  it('create prints the name, and both CLIs see the volume as created', async () => {
    assert.equal(await create('--label', 'com.example.tier=db', '--label', 'bare', '-o', 'type=tmpfs', '-o', 'device=tmpfs', '-o', 'o=size=1m', 'cfg'), 'cfg');
    const fmt = '{{.Name}} {{.Driver}} {{.Scope}} {{json .Labels}} {{json .Options}} {{.Mountpoint}}';
    const r = await same(['volume', 'inspect', '-f', fmt, 'cfg']);
    assert.equal(r.stdout, `cfg local local {"bare":"","com.example.tier":"db"} {"device":"tmpfs","o":"size=1m","type":"tmpfs"} ${d.dataRoot}/volumes/cfg/_data\n`);
    // Created through docker, seen through berth; creating an existing name again is no error.
    const k = await d.docker(['volume', 'create', '-d', 'local', 'fromdocker']);
    assert.deepEqual([k.code, k.stdout], [0, 'fromdocker\n']);
    assert.deepEqual(await names('name=fromdocker'), ['fromdocker']);
    assert.equal((await same(['volume', 'create', 'fromdocker'])).stdout, 'fromdocker\n');
    // The hidden --name works like the argument.
    assert.equal((await same(['volume', 'create', '--name', 'fromdocker'])).stdout, 'fromdocker\n');
    // Without a name, the daemon makes up one and marks the volume anonymous.
    const anon = await create();
    assert.match(anon, /^[0-9a-f]{64}$/);
    assert.equal((await d.berth(['volume', 'inspect', '-f', '{{json .Labels}}', anon])).stdout, '{"com.docker.volume.anonymous":""}\n');
    // Cluster options alone that docker does not count as cluster options (--secret) are accepted.
    assert.equal(await create('--secret', 's=1', 'plain'), 'plain');
    await remove('cfg', 'fromdocker', anon, 'plain');
  });

  it('create reports docker\'s errors for names, drivers, options, labels and arguments', async () => {
    const cases: Array<[string[], number, string]> = [
      [['a'], 1, 'Error response from daemon: create a: volume name is too short, names should be at least two alphanumeric characters\n'],
      [['a/b'], 1, `Error response from daemon: create a/b: "a/b" ${INVALID_CHARS}\n`],
      [['a?b'], 1, `Error response from daemon: create a?b: "a?b" ${INVALID_CHARS}\n`],
      [['-d', 'nope', 'x1'], 1, 'Error response from daemon: create x1: error looking up volume plugin nope: plugin "nope" not found\n'],
      [['-o', 'foo=bar', 'x2'], 1, 'Error response from daemon: create x2: invalid option: "foo"\n'],
      [['--name', 'n1', 'n2'], 1, 'conflicting options: cannot specify a volume-name through both --name and as a positional arg\n'],
    ];
    for (const [args, code, stderr] of cases) {
      const r = await same(['volume', 'create', ...args]);
      assert.deepEqual([r.code, r.stdout, r.stderr], [code, '', stderr], args.join(' '));
    }
    const usage: Array<[string[], RegExp]> = [
      [['--label', ''], /^invalid argument "" for "--label" flag: invalid label '': empty name\n/],
      [['--label', 'a b=c'], /^invalid argument "a b=c" for "--label" flag: label 'a b' contains whitespaces\n/],
      [['--limit-bytes', 'zz'], /^invalid argument "zz" for "--limit-bytes" flag: invalid size: 'zz'\n/],
      [['--bogus'], /^unknown flag: --bogus\n/],
    ];
    for (const [args, stderr] of usage) {
      const r = await same(['volume', 'create', ...args, 'never']);
      assert.equal(r.code, 125, args.join(' '));
      assert.match(r.stderr, stderr);
    }
    const two = await same(['volume', 'create', 'a1', 'b1']);
    assert.equal(two.code, 1);
    assert.match(two.stderr, /^berth: 'berth volume create' requires at most 1 argument\n/);
    assert.deepEqual(await names('name=never'), []);
  });

  it('ls shows the same table, sorted as docker sorts names, with --format, -q and filters', async () => {
    // One label each: docker prints several in Go's random map order.
    await create('--label', 'a=1', 'v10');
    await create('--label', 'b', 'v9');
    await create('v1');
    assert.equal((await d.berth(['create', '--name', 'user', '-v', 'v9:/data', 'busybox'])).code, 0);
    const table = await same(['volume', 'ls']);
    assert.match(table.stdout, /^DRIVER {4}VOLUME NAME\n/);
    assert.deepEqual(parseTable(table.stdout).map((row) => row['VOLUME NAME']), ['v1', 'v9', 'v10']);
    for (const args of [
      ['-q'], ['--format', 'json'], ['--format', 'raw'], ['-q', '--format', 'raw'], ['--format', 'table {{.Name}}', '-q'],
      ['--format', 'table {{.Name}}\t{{.Label "a"}}\t{{.Labels}}\t{{.Mountpoint}}\t{{.Scope}}\t{{.Size}}\t{{.Links}}\t{{.Group}}\t{{.Availability}}\t{{.Status}}'],
      ['--format', '{{.Name}} {{json .}}'], ['--format', 'table {{.Label "com.example.some-thing"}}\t{{json .}}'],
      ['-f', 'name=v1'], ['-f', 'label=a=1'], ['-f', 'label=b'], ['-f', 'driver=local'], ['-f', 'dangling=true'], ['-f', 'dangling=false'],
      ['--cluster'], ['--cluster', '-q'],
    ]) {
      assert.equal((await same(['volume', 'list', ...args])).code, 0, args.join(' '));
    }
    assert.equal((await same(['volume', 'ls', '--format', '{{.Name}}:{{.Label "a"}}', '-f', 'name=v1'])).stdout, 'v1:\nv10:1\n');
    assert.equal((await same(['volume', 'ls', '-q', '-f', 'dangling=false'])).stdout, 'v9\n');
    const errors: Array<[string[], number, RegExp]> = [
      [['-f', 'foo=bar'], 1, /^Error response from daemon: invalid filter 'foo'\n$/],
      [['-f', 'bad'], 125, /^invalid argument "bad" for "-f, --filter" flag: bad format of filter \(expected name=value\)\n/],
      [['--format', '{{.ID}}'], 1, /^template parsing error: template: :1:2: executing "" at <\.ID>: can't evaluate field ID in type \*formatter\.volumeContext\n$/],
      [['--format', '{{.Name'], 1, /^template parsing error: template: :1: unclosed action\n$/],
      [['extra'], 1, /^berth: 'berth volume ls' accepts no arguments\n/],
    ];
    for (const [args, code, stderr] of errors) {
      const r = await same(['volume', 'ls', ...args]);
      assert.equal(r.code, code, args.join(' '));
      assert.equal(r.stdout, '', args.join(' '));
      assert.match(r.stderr, stderr);
    }
    await d.berth(['rm', '-f', 'user']);
    await remove('v1', 'v9', 'v10');
  });

  it('inspect prints the same JSON and templates, and the same errors', async () => {
    await create('--label', 'a=b', '--label', 'html=<&>', '-o', 'type=tmpfs', '-o', 'device=tmpfs', 'insp');
    await create('bare');
    for (const args of [
      ['insp'], ['insp', 'bare'], ['-f', 'json', 'insp', 'bare'],
      ['-f', '{{.Name}} {{.Options}} {{.Status}} {{.UsageData}} {{.ClusterVolume}} {{.Labels}}', 'insp', 'bare'],
      ['-f', '{{json .}} {{json .Options}} {{json .Status}}', 'insp', 'bare'],
      ['-f', '[{{index .Labels "a"}}] [{{index .Options "nope"}}] [{{index .Labels "nope"}}] {{len .Options}}', 'insp', 'bare'],
    ]) {
      assert.equal((await same(['volume', 'inspect', ...args])).code, 0, args.join(' '));
    }
    // A nil map prints "map[]", and is null in JSON.
    assert.equal((await same(['volume', 'inspect', '-f', '{{.Options}} {{json .Options}} [{{index .Labels "x"}}]', 'bare'])).stdout, 'map[] null []\n');
    const json = JSON.parse((await d.berth(['volume', 'inspect', 'insp'])).stdout) as Array<Record<string, unknown>>;
    assert.deepEqual(Object.keys(json[0] ?? {}), ['CreatedAt', 'Driver', 'Labels', 'Mountpoint', 'Name', 'Options', 'Scope']);

    let r = await same(['volume', 'inspect', 'nosuch', 'insp']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error response from daemon: get nosuch: no such volume\n');
    r = await same(['volume', 'inspect', 'nosuch']);
    assert.deepEqual([r.code, r.stdout], [1, '[]\n']);
    r = await same(['volume', 'inspect', ' ', ' insp ']);
    assert.deepEqual([r.code, r.stderr], [1, 'invalid volume name or ID: value is empty\n']);
    r = await same(['volume', 'inspect', '-f', '{{.Name}', 'insp']);
    assert.equal(r.code, 64);
    // Templates run on docker's volume.Volume struct only: an unknown field is an error.
    r = await same(['volume', 'inspect', '-f', '{{.Nope}}', 'insp']);
    assert.deepEqual([r.code, r.stdout, r.stderr], [1, '\n',
      'template parsing error: template: :1:2: executing "" at <.Nope>: can\'t evaluate field Nope in type volume.Volume\n']);
    r = await same(['volume', 'inspect']);
    assert.match(r.stderr, /^berth: 'berth volume inspect' requires at least 1 argument\n/);
    await remove('insp', 'bare');
  });

  it('rm prints each removed name, the errors after them, and exits 1 if any failed', async () => {
    await create('busy');
    assert.equal((await d.berth(['create', '--name', 'holder', '-v', 'busy:/data', 'busybox'])).code, 0);
    const holder = (await d.berth(['inspect', '-f', '{{.Id}}', 'holder'])).stdout.trim();
    for (const cli of ['berth', 'docker'] as const) {
      await create('rm1');
      await create('rm2');
      const r = await d[cli](['volume', 'rm', 'rm1', 'nosuch', 'rm2', 'busy']);
      assert.equal(r.code, 1, cli);
      assert.equal(r.stdout, 'rm1\nrm2\n', cli);
      assert.equal(r.stderr, 'Error response from daemon: get nosuch: no such volume\n'
        + `Error response from daemon: remove busy: volume is in use - [${holder}]\n`, cli);
    }
    // --force ignores missing volumes, not volumes in use.
    let r = await same(['volume', 'remove', '-f', 'nosuch', 'busy']);
    assert.deepEqual([r.code, r.stdout, r.stderr], [1, 'nosuch\n', `Error response from daemon: remove busy: volume is in use - [${holder}]\n`]);
    r = await same(['volume', 'rm', '']);
    assert.deepEqual([r.code, r.stderr], [1, 'invalid volume name or ID: value is empty\n']);
    r = await same(['volume', 'rm']);
    assert.match(r.stderr, /^berth: 'berth volume rm' requires at least 1 argument\n/);
    await d.berth(['rm', 'holder']);
    // The name is trimmed for the request, and printed as given.
    r = await d.berth(['volume', 'rm', ' busy ']);
    assert.deepEqual([r.code, r.stdout], [0, ' busy \n']);
  });

  it('prune asks first, in both modes, and removes unused anonymous volumes, or all with --all', async () => {
    const anonymousPrompt = 'WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] ';
    const allPrompt = 'WARNING! This will remove all local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] ';
    await create('named');
    const anon = await create();
    let r = await same(['volume', 'prune'], 'n\n');
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, anonymousPrompt, '']);
    r = await same(['volume', 'prune', '-a'], 'n\n');
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, allPrompt, '']);
    assert.deepEqual((await names()).sort(), [anon, 'named'].sort());

    const errors: Array<[string[], number, RegExp]> = [
      [['-a', '--filter', 'all=1'], 1, /^conflicting options: cannot specify both --all and --filter all=1\n$/],
      [['--filter', 'foo=bar'], 1, /^Error response from daemon: invalid filter 'foo'\n$/],
      [['--filter', 'bad'], 125, /^invalid argument "bad" for "--filter" flag: bad format of filter \(expected name=value\)\n/],
      [['extra'], 1, /^berth: 'berth volume prune' accepts no arguments\n/],
    ];
    for (const [args, code, stderr] of errors) {
      r = await same(['volume', 'prune', '-f', ...args]);
      assert.equal(r.code, code, args.join(' '));
      assert.match(r.stderr, stderr);
    }

    r = await d.berth(['volume', 'prune'], { input: 'y\n' });
    assert.deepEqual([r.code, r.stdout], [0, `${anonymousPrompt}Deleted Volumes:\n${anon}\n\nTotal reclaimed space: 0B\n`]);
    r = await same(['volume', 'prune', '-f']);
    assert.deepEqual([r.code, r.stdout], [0, 'Total reclaimed space: 0B\n']);

    // --all: unused named volumes too, a label filter narrowing it; a volume in use stays.
    await create('--label', 'keep=1', 'kept');
    await create('used');
    assert.equal((await d.berth(['create', '--name', 'user2', '-v', 'used:/data', 'busybox'])).code, 0);
    r = await d.docker(['volume', 'prune', '-a', '-f', '--filter', 'label=keep=1']);
    assert.deepEqual([r.code, r.stdout], [0, 'Deleted Volumes:\nkept\n\nTotal reclaimed space: 0B\n']);
    r = await d.berth(['volume', 'prune', '--all', '--force']);
    assert.deepEqual([r.code, r.stdout], [0, 'Deleted Volumes:\nnamed\n\nTotal reclaimed space: 0B\n']);
    assert.deepEqual(await names(), ['used']);
    await d.berth(['rm', '-f', 'user2']);
    await remove('used');
  });
});
