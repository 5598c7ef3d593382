import { after, before, describe, it } from 'node:test';
import { humanSize } from '../../src/units/human-units.js';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { BUSYBOX_TAR, eventually, exec, parseTable, TestDaemon } from './harness.js';

const CLIS = ['berth', 'docker'] as const;
const ID = /^sha256:[0-9a-f]{64}\n$/;

describe('image commands', () => {
  let d: TestDaemon;
  before(async () => { d = await TestDaemon.start(); });
  after(async () => { await d?.cleanup(); });

  /** busybox plus a file of its own: an image whose layer no other image shares. */
  const uniqueTar = async (name: string): Promise<string> => {
    const dir = path.join(d.root, `tar-${name}`);
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'marker'), `${name}\n`);
    const tar = path.join(d.root, `${name}.tar`);
    await fs.copyFile(BUSYBOX_TAR, tar);
    const r = await exec('tar', ['-rf', tar, '-C', dir, 'marker']);
    assert.equal(r.code, 0, r.stderr);
    return tar;
  };
  const importImage = async (src: string, name?: string, flags: readonly string[] = []): Promise<string> => {
    const r = await d.berth(['import', ...flags, src, ...(name === undefined ? [] : [name])]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, ID);
    return r.stdout.trim();
  };
  const inspect = async (format: string, name: string): Promise<string> => {
    const r = await d.berth(['image', 'inspect', '-f', format, name]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.trimEnd();
  };
  const snapshots = async (): Promise<number> => (await fs.readdir(path.join(d.dataRoot, 'snapshots'))).length;
  const short = (id: string): string => id.slice(7, 19);
  const exists = async (name: string): Promise<boolean> => (await d.berth(['image', 'inspect', name])).code === 0;

  it('import reads a tarball from a file, from stdin with "-" and gzip-compressed, through both CLIs', async () => {
    const tar = await fs.readFile(BUSYBOX_TAR);
    const gz = path.join(d.root, 'busybox.tar.gz');
    await fs.writeFile(gz, gzipSync(tar));
    const layer = await inspect('{{index .RootFS.Layers 0}}', 'busybox');
    for (const cli of CLIS) {
      const fromFile = await d[cli](['import', BUSYBOX_TAR, `imp-file-${cli}`]);
      assert.equal(fromFile.code, 0, fromFile.stderr);
      assert.match(fromFile.stdout, ID);
      assert.equal(await inspect('{{.Id}}', `imp-file-${cli}`), fromFile.stdout.trim());
      const fromStdin = await d[cli](['import', '-', `imp-stdin-${cli}:v1`], { input: tar });
      assert.equal(fromStdin.code, 0, fromStdin.stderr);
      assert.match(fromStdin.stdout, ID);
      assert.equal(await inspect('{{.Id}}', `imp-stdin-${cli}:v1`), fromStdin.stdout.trim());
      const fromGzip = await d[cli](['import', gz, `imp-gz-${cli}`]);
      assert.equal(fromGzip.code, 0, fromGzip.stderr);
      // The layer is stored uncompressed: its diffID is the same as the plain tarball's.
      assert.equal(await inspect('{{index .RootFS.Layers 0}}', `imp-gz-${cli}`), layer);
      const run = await d[cli](['run', '--rm', `imp-gz-${cli}`, 'echo', 'from gzip']);
      assert.equal(run.stdout, 'from gzip\n');
    }
    assert.equal((await d.berth(['rmi', 'imp-file-berth', 'imp-file-docker', 'imp-stdin-berth:v1', 'imp-stdin-docker:v1', 'imp-gz-berth', 'imp-gz-docker'])).code, 0);
  });

  it('import --change sets CMD and ENV, and containers from the image use them', async () => {
    for (const cli of CLIS) {
      const r = await d[cli](['import', '--change', 'CMD ["echo","x"]', '--change', 'ENV A=1', BUSYBOX_TAR, `changed-${cli}`]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await inspect('{{json .Config.Cmd}} {{json .Config.Env}}', `changed-${cli}`), '["echo","x"] ["A=1"]');
      assert.equal((await d[cli](['run', '--rm', `changed-${cli}`])).stdout, 'x\n');
      assert.equal((await d[cli](['run', '--rm', `changed-${cli}`, 'sh', '-c', 'echo "A=$A"'])).stdout, 'A=1\n');
    }
    await d.berth(['rmi', 'changed-berth', 'changed-docker']);
  });

  it('import -m sets the comment that history and image inspect show; without it the comment is "Imported from -"', async () => {
    for (const cli of CLIS) {
      await d[cli](['import', '-m', `a message from ${cli}`, BUSYBOX_TAR, `msg-${cli}`]);
      const rows = parseTable((await d[cli](['history', `msg-${cli}`])).stdout);
      assert.equal(rows[0]?.['COMMENT'], `a message from ${cli}`);
      assert.equal(await inspect('{{.Comment}}', `msg-${cli}`), `a message from ${cli}`);
    }
    assert.equal(await inspect('{{.Comment}}', 'busybox'), 'Imported from -');
    assert.equal((await d.docker(['history', '--format', '{{.Comment}}', 'busybox'])).stdout, 'Imported from -\n');
    await d.berth(['rmi', 'msg-berth', 'msg-docker']);
  });

  it('import --platform records the OS, architecture and variant given; the default is the host\'s', async () => {
    const host = (await exec('uname', ['-m'])).stdout.trim() === 'aarch64' ? 'arm64' : 'amd64';
    assert.equal(await inspect('{{.Os}}/{{.Architecture}}', 'busybox'), `linux/${host}`);
    for (const cli of CLIS) {
      assert.equal((await d[cli](['import', '--platform', 'linux/arm64', BUSYBOX_TAR, `arm64-${cli}`])).code, 0);
      assert.equal(await inspect('{{.Os}}/{{.Architecture}}', `arm64-${cli}`), 'linux/arm64');
      assert.equal((await d[cli](['import', '--platform', 'linux/arm/v7', BUSYBOX_TAR, `armv7-${cli}`])).code, 0);
      assert.equal(await inspect('{{.Os}}/{{.Architecture}}/{{.Variant}}', `armv7-${cli}`), 'linux/arm/v7');
    }
    await d.berth(['rmi', 'arm64-berth', 'arm64-docker', 'armv7-berth', 'armv7-docker']);
  });

  it('images shows one row per tag with the repository, tag, short ID, age and size', async () => {
    const id = await importImage(BUSYBOX_TAR, 'listed:one');
    await d.berth(['tag', 'listed:one', 'listed:two']);
    for (const cli of CLIS) {
      const r = await d[cli](['images']);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^REPOSITORY {3,}TAG {3,}IMAGE ID {3,}CREATED {3,}SIZE\n/);
      const rows = parseTable(r.stdout).filter((row) => row['REPOSITORY'] === 'listed');
      assert.deepEqual(rows.map((row) => row['TAG']), ['one', 'two']);
      for (const row of rows) {
        assert.equal(row['IMAGE ID'], short(id));
        assert.match(row['CREATED'] ?? '', /^(Less than a second|\d+ seconds?) ago$/);
        assert.match(row['SIZE'] ?? '', /^\d+(\.\d+)?MB$/);
      }
    }
    await d.berth(['rmi', 'listed:one', 'listed:two']);
  });

  it('images -q, --filter reference=, --filter dangling=true and --format select and shape the rows', async () => {
    const a = await importImage(BUSYBOX_TAR, 'sel-a:1');
    await d.berth(['tag', 'sel-a:1', 'sel-a:2']);
    const b = await importImage(BUSYBOX_TAR, 'sel-b:1');
    const dangling = await importImage(BUSYBOX_TAR);
    for (const cli of CLIS) {
      const all = (await d[cli](['images', '-q'])).stdout.split('\n');
      for (const id of [a, b, dangling]) assert.ok(all.includes(short(id)), `${cli} images -q lists ${short(id)}`);
      assert.equal((await d[cli](['images', '-q', '--no-trunc', 'sel-b'])).stdout, `${b}\n`);
      const byName = await d[cli](['images', '--filter', 'reference=sel-a', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}']);
      assert.equal(byName.stdout, `sel-a:1 ${short(a)}\nsel-a:2 ${short(a)}\n`);
      const byTag = await d[cli](['images', '--filter', 'reference=sel-*:1', '--format', '{{.Repository}}:{{.Tag}}']);
      assert.deepEqual(byTag.stdout.split('\n').filter(Boolean).sort(), ['sel-a:1', 'sel-b:1']);
      const onlyDangling = await d[cli](['images', '--filter', 'dangling=true', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}']);
      assert.equal(onlyDangling.stdout, `<none>:<none> ${short(dangling)}\n`);
      const names = (await d[cli](['images', '--format', '{{.Repository}}:{{.Tag}}'])).stdout.split('\n');
      for (const n of ['busybox:latest', 'sel-a:1', 'sel-a:2', 'sel-b:1', '<none>:<none>']) assert.ok(names.includes(n), `${cli} lists ${n}`);
    }
    await d.berth(['rmi', 'sel-a:1', 'sel-a:2', 'sel-b:1', dangling]);
  });

  it('tag adds a name that images lists beside the first; an invalid target fails with docker\'s message and status 1', async () => {
    const id = await importImage(BUSYBOX_TAR, 'tagged:orig');
    for (const cli of CLIS) {
      const r = await d[cli](['tag', 'tagged:orig', `tagged-${cli}/copy:v2`]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '');
    }
    // Sorted by full name, as Docker's reference store sorts them: docker.io/library/tagged comes first.
    assert.equal(await inspect('{{json .RepoTags}}', id), '["tagged:orig","tagged-berth/copy:v2","tagged-docker/copy:v2"]');
    for (const cli of CLIS) {
      // The docker CLI groups an image's tags by repository in a Go map: the repositories come in any order.
      const listed = (await d[cli](['images', '--format', '{{.ID}} {{.Repository}}:{{.Tag}}'])).stdout.split('\n').filter((l) => l.startsWith(short(id)));
      assert.deepEqual(listed.sort(), ['tagged-berth/copy:v2', 'tagged-docker/copy:v2', 'tagged:orig'].map((n) => `${short(id)} ${n}`));
    }
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['UPPER', 'Error parsing reference: "UPPER" is not a valid repository/tag: invalid reference format: repository name (library/UPPER) must be lowercase\n'],
      ['a:b:c', 'Error parsing reference: "a:b:c" is not a valid repository/tag: invalid reference format\n'],
      ['x:', 'Error parsing reference: "x:" is not a valid repository/tag: invalid reference format\n'],
    ];
    for (const cli of CLIS) {
      for (const [target, message] of cases) {
        const r = await d[cli](['tag', 'tagged:orig', target]);
        assert.equal(r.code, 1, `${cli} tag ${target}`);
        assert.equal(r.stderr, message);
      }
      const missing = await d[cli](['tag', 'nosuch', 'x']);
      assert.equal(missing.code, 1);
      assert.equal(missing.stderr, 'Error response from daemon: No such image: nosuch:latest\n');
    }
    await d.berth(['rmi', '-f', id]);
  });

  it('rmi untags while other tags remain and deletes the image and its layer with the last one', async () => {
    for (const cli of CLIS) {
      const before = await snapshots();
      const id = await importImage(await uniqueTar(`rmi-${cli}`), `rmi-${cli}:1`);
      const layer = await inspect('{{index .RootFS.Layers 0}}', id);
      await d.berth(['tag', `rmi-${cli}:1`, `rmi-${cli}:2`]);
      const untag = await d[cli](['rmi', `rmi-${cli}:1`]);
      assert.equal(untag.code, 0, untag.stderr);
      assert.equal(untag.stdout, `Untagged: rmi-${cli}:1\n`);
      assert.ok(await exists(id));
      const del = await d[cli](['image', 'rm', `rmi-${cli}:2`]);
      assert.equal(del.code, 0, del.stderr);
      // A single-layer image's chain ID is its layer's diffID.
      assert.equal(del.stdout, `Untagged: rmi-${cli}:2\nDeleted: ${id}\nDeleted: ${layer}\n`);
      assert.equal(await exists(id), false);
      assert.equal(await snapshots(), before);
    }
  });

  it('rmi refuses an image a stopped container uses, naming the container; -f untags and deletes it', async () => {
    for (const cli of CLIS) {
      const name = `stopped-user-${cli}:1`;
      const id = await importImage(BUSYBOX_TAR, name);
      const c = (await d.berth(['create', name, 'echo', 'still starts'])).stdout.trim();
      const byName = await d[cli](['rmi', name]);
      assert.equal(byName.code, 1);
      assert.equal(byName.stderr, `Error response from daemon: conflict: unable to remove repository reference "${name}" (must force) - container ${c.slice(0, 12)} is using its referenced image ${short(id)}\n`);
      const byId = await d[cli](['rmi', short(id)]);
      assert.equal(byId.code, 1);
      assert.equal(byId.stderr, `Error response from daemon: conflict: unable to delete ${short(id)} (must be forced) - image is being used by stopped container ${c.slice(0, 12)}\n`);
      assert.ok(await exists(name));
      const forced = await d[cli](['rmi', '-f', name]);
      assert.equal(forced.code, 0, forced.stderr);
      // The layer stays: the container's writable layer sits on it.
      assert.equal(forced.stdout, `Untagged: ${name}\nDeleted: ${id}\n`);
      assert.equal(await exists(id), false);
      assert.equal((await d.berth(['start', '-a', c])).stdout, 'still starts\n');
      await d.berth(['rm', c]);
    }
  });

  it('rmi refuses an image a running container uses even with -f by ID; -f by name only untags it', async () => {
    for (const cli of CLIS) {
      const name = `running-user-${cli}:1`;
      const id = await importImage(BUSYBOX_TAR, name);
      const c = (await d.berth(['run', '-d', name, 'sleep', '300'])).stdout.trim();
      const byName = await d[cli](['rmi', name]);
      assert.equal(byName.code, 1);
      assert.equal(byName.stderr, `Error response from daemon: conflict: unable to remove repository reference "${name}" (must force) - container ${c.slice(0, 12)} is using its referenced image ${short(id)}\n`);
      for (const flags of [[], ['-f']]) {
        const byId = await d[cli](['rmi', ...flags, short(id)]);
        assert.equal(byId.code, 1);
        assert.equal(byId.stderr, `Error response from daemon: conflict: unable to delete ${short(id)} (cannot be forced) - image is being used by running container ${c.slice(0, 12)}\n`);
      }
      const forced = await d[cli](['rmi', '-f', name]);
      assert.equal(forced.code, 0, forced.stderr);
      assert.equal(forced.stdout, `Untagged: ${name}\n`);
      // The image stays, untagged, for as long as the container uses it.
      assert.equal((await d[cli](['images', '-q', '--no-trunc', '--filter', 'dangling=true'])).stdout, `${id}\n`);
      await d.berth(['rm', '-f', c]);
      assert.equal((await d[cli](['rmi', short(id)])).stdout, `Deleted: ${id}\n`);
    }
  });

  it('rmi by short ID of an image tagged in several repositories must be forced, and -f removes every tag', async () => {
    for (const cli of CLIS) {
      const id = await importImage(BUSYBOX_TAR, `multi-b-${cli}:1`);
      await d.berth(['tag', id, `multi-a-${cli}:1`]);
      const refused = await d[cli](['rmi', short(id)]);
      assert.equal(refused.code, 1);
      assert.equal(refused.stderr, `Error response from daemon: conflict: unable to delete ${short(id)} (must be forced) - image is referenced in multiple repositories\n`);
      const forced = await d[cli](['rmi', '-f', short(id)]);
      assert.equal(forced.code, 0, forced.stderr);
      // Docker untags in the order of its reference store: sorted by full name.
      assert.equal(forced.stdout, `Untagged: multi-a-${cli}:1\nUntagged: multi-b-${cli}:1\nDeleted: ${id}\n`);
    }
  });

  it('history shows one row for an imported image, with its ID, size and comment', async () => {
    const id = await importImage(BUSYBOX_TAR, 'hist', ['-m', 'imported for history']);
    for (const cli of CLIS) {
      const r = await d[cli](['history', 'hist']);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^IMAGE {3,}CREATED {3,}CREATED BY {3,}SIZE {3,}COMMENT\n/);
      const rows = parseTable(r.stdout);
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.['IMAGE'], short(id));
      assert.match(rows[0]?.['CREATED'] ?? '', /^(Less than a second|\d+ seconds?) ago$/);
      assert.equal(rows[0]?.['CREATED BY'], '');
      assert.match(rows[0]?.['SIZE'] ?? '', /^\d+(\.\d+)?MB$/);
      assert.equal(rows[0]?.['COMMENT'], 'imported for history');
      assert.equal((await d[cli](['history', '-q', '--no-trunc', 'hist'])).stdout, `${id}\n`);
    }
    await d.berth(['rmi', 'hist']);
  });

  it('image inspect shows the platform, the config and one layer for an imported image', async () => {
    const id = await importImage(BUSYBOX_TAR, 'insp', ['--change', 'CMD ["echo","x"]', '--platform', 'linux/amd64']);
    for (const cli of CLIS) {
      const r = await d[cli](['image', 'inspect', '-f', '{{.Id}} {{.Os}}/{{.Architecture}} {{json .Config.Cmd}} {{.RootFS.Type}} {{len .RootFS.Layers}}', 'insp']);
      assert.equal(r.stdout, `${id} linux/amd64 ["echo","x"] layers 1\n`);
      const json = JSON.parse((await d[cli](['image', 'inspect', 'insp'])).stdout) as Array<{ RepoTags: string[]; Size: number; Metadata: { LastTagTime: string } }>;
      assert.equal(json.length, 1);
      assert.deepEqual(json[0]?.RepoTags, ['insp:latest']);
      assert.ok((json[0]?.Size ?? 0) > 1_000_000);
      assert.ok(!Number.isNaN(Date.parse(json[0]?.Metadata.LastTagTime ?? '')));
    }
    await d.berth(['rmi', 'insp']);
  });

  it('a container whose image was force-removed still starts; its layers go when the container is removed', async () => {
    const before = await snapshots();
    await importImage(await uniqueTar('outlived'), 'outlived');
    const c = (await d.berth(['create', 'outlived', 'cat', '/marker'])).stdout.trim();
    assert.equal(await snapshots(), before + 2, 'the image\'s layer and the container\'s writable layer');
    assert.equal((await d.docker(['rmi', '-f', 'outlived'])).code, 0);
    assert.equal(await exists('outlived'), false);
    assert.equal(await snapshots(), before + 2);
    const started = await d.docker(['start', '-a', c]);
    assert.equal(started.stdout, 'outlived\n');
    assert.equal((await d.berth(['inspect', '-f', '{{.State.ExitCode}}', c])).stdout, '0\n');
    // The name no longer points to the container's image: lists show its short ID instead, as Docker does.
    const imageId = (await d.berth(['inspect', '-f', '{{.Image}}', c])).stdout.trim();
    for (const cli of ['berth', 'docker'] as const) {
      assert.equal((await d[cli](['ps', '-a', '--filter', `id=${c}`, '--format', '{{.Image}}'])).stdout, `${imageId.slice(7, 19)}\n`);
    }
    assert.equal((await d.berth(['rm', c])).code, 0);
    await eventually(async () => (await snapshots()) === before, 5000, `${before} snapshots`);
  });

  it('image prune -f removes dangling images only; -a -f removes every unused image but keeps those containers use', async () => {
    const danglingShared = await importImage(BUSYBOX_TAR);
    const danglingOwn = await importImage(await uniqueTar('pruned'));
    const danglingUsed = await importImage(BUSYBOX_TAR);
    const usedContainer = (await d.berth(['create', danglingUsed, 'true'])).stdout.trim();
    const tagged = await importImage(BUSYBOX_TAR, 'prune-tagged:1');
    const busyboxContainer = (await d.berth(['create', 'busybox', 'true'])).stdout.trim();
    const ownLayer = await inspect('{{index .RootFS.Layers 0}}', danglingOwn);
    // The reclaimed total is written with 4 significant digits (the SIZE column has 3).
    const ownSize = humanSize(Number(await inspect('{{.Size}}', danglingOwn)));

    const dangling = await d.docker(['image', 'prune', '-f']);
    assert.equal(dangling.code, 0, dangling.stderr);
    const [list = '', total = ''] = dangling.stdout.split('\n\n');
    const lines = list.split('\n');
    assert.equal(lines[0], 'Deleted Images:');
    assert.deepEqual(lines.slice(1).sort(), [`deleted: ${danglingShared}`, `deleted: ${danglingOwn}`, `deleted: ${ownLayer}`].sort());
    // Only the removed layer counts: the shared one is still busybox's.
    assert.equal(total, `Total reclaimed space: ${ownSize}\n`);
    for (const id of [danglingUsed, tagged]) assert.ok(await exists(id), `${short(id)} is kept`);

    const nothing = await d.berth(['image', 'prune', '-f']);
    assert.equal(nothing.stdout, 'Total reclaimed space: 0B\n');

    const all = await d.berth(['image', 'prune', '-a', '-f']);
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stdout, new RegExp(`^Deleted Images:\n(.*\n)*untagged: prune-tagged:1\ndeleted: ${tagged}\n`));
    assert.match(all.stdout, /\n\nTotal reclaimed space: 0B\n$/);
    assert.equal(await exists(tagged), false);
    assert.ok(await exists('busybox:latest'), 'busybox is used by a container');
    assert.ok(await exists(danglingUsed), 'a dangling image a container uses stays');
    await d.berth(['rm', usedContainer, busyboxContainer]);
  });
});
