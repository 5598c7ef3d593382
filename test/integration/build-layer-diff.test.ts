/**
 * Layer diff against real overlay mounts: what a step changes in the upper dir
 * becomes a layer tar (whiteouts, opaque dirs, owners, modes, mtimes, hard
 * links, xattrs), and that layer applied on its parent gives the same tree.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exec } from './harness.js';
import { layerDiff } from '../../src/snapshots/layer-diff.js';
import { commitLayer } from '../../src/snapshots/layer-commit.js';
import { OverlaySnapshotter } from '../../src/snapshots/overlay-snapshotter.js';
import { LocalContentStore } from '../../src/content/local-content-store.js';
import { mountAt, unmount } from '../../src/snapshots/mounter.js';

const CAP_NET_RAW = '0x0100000200200000000000000000000000000000';

async function sh(script: string): Promise<string> {
  const r = await exec('sh', ['-ec', script]);
  assert.equal(r.code, 0, `${script}\n${r.stderr}`);
  return r.stdout;
}

describe('layer diff of an overlay upper dir', () => {
  let root: string;
  const mounted: string[] = [];

  before(async () => {
    assert.equal(process.getuid?.(), 0, 'layer diff tests need root (overlay mounts)');
    for (const tool of ['getfattr', 'setfattr', 'mknod']) {
      assert.equal((await exec('sh', ['-c', `command -v ${tool}`])).code, 0, `${tool} is missing (scripts/setup.sh installs attr)`);
    }
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-diff-'));
  });

  after(async () => {
    for (const m of mounted.reverse()) await unmount(m).catch(() => undefined);
    await fs.rm(root, { recursive: true, force: true });
  });

  test('a step\'s changes become a layer tar with whiteouts, opaque dirs, owners, modes, links and xattrs, and apply back', async () => {
    const content = new LocalContentStore(path.join(root, 'blobs'), path.join(root, 'ingest'));
    await fs.mkdir(path.join(root, 'blobs'), { recursive: true });
    await fs.mkdir(path.join(root, 'ingest'), { recursive: true });
    const snaps = new OverlaySnapshotter(path.join(root, 'snapshots'));
    await fs.mkdir(path.join(root, 'snapshots'), { recursive: true });
    await snaps.load();

    // the base layer, as a tar made by GNU tar, unpacked through the snapshotter
    const base = path.join(root, 'base');
    await sh(`mkdir -p ${base}/dir ${base}/keep && echo a > ${base}/a && echo b > ${base}/dir/b && echo c > ${base}/dir/c && echo k > ${base}/keep/k`);
    const baseLayer = await commitLayer(tarChunks(base), content, snaps, undefined);

    // a step: overlay over the base, changes made through the mount
    await snaps.prepare('step', baseLayer.chainId);
    const merged = path.join(root, 'merged');
    await mountAt(snaps.mounts('step'), merged);
    mounted.push(merged);
    await sh([
      `rm ${merged}/a`,
      `rm -rf ${merged}/dir && mkdir ${merged}/dir && echo new > ${merged}/dir/new`,
      `echo bin > ${merged}/tool && chown 1234:5678 ${merged}/tool && chmod 4750 ${merged}/tool`,
      `setfattr -n security.capability -v ${CAP_NET_RAW} ${merged}/tool`,
      `setfattr -n user.note -v hello ${merged}/tool`,
      `touch -d '2001-02-03 04:05:06Z' ${merged}/tool`,
      `ln ${merged}/tool ${merged}/tool-link`,
      `ln -s /tool ${merged}/sym`,
      `mkfifo ${merged}/fifo`,
      `echo more >> ${merged}/keep/k`,
    ].join('\n'));
    await unmount(merged);
    mounted.pop();

    const tarFile = path.join(root, 'layer.tar');
    const fh = await fs.open(tarFile, 'w');
    for await (const chunk of layerDiff(snaps.upperDir('step'))) await fh.write(chunk);
    await fh.close();

    const listing = await sh(`tar --numeric-owner -tvf ${tarFile}`);
    const lines = listing.trim().split('\n');
    const has = (re: RegExp): boolean => lines.some((l) => re.test(l));
    assert.ok(has(/ \.wh\.a$/), `whiteout for a:\n${listing}`);
    assert.ok(has(/ dir\/\.wh\.\.wh\.\.opq$/), `opaque marker for dir:\n${listing}`);
    assert.ok(has(/^-rwsr-x--- 1234\/5678 .* 2001-02-03 04:05 tool$/), `owner, mode and mtime of tool:\n${listing}`);
    assert.ok(has(/^h.* tool-link link to tool$/), `hard link:\n${listing}`);
    assert.ok(has(/^l.* sym -> \/tool$/), `symlink:\n${listing}`);
    assert.ok(has(/^p.* fifo$/), `fifo:\n${listing}`);
    assert.ok(!has(/ dir\/b$/), 'the removed dir content is not in the layer');

    // xattrs survive byte for byte (GNU tar reads them back)
    const unpacked = path.join(root, 'unpacked');
    await fs.mkdir(unpacked);
    await sh(`tar --xattrs --xattrs-include='*' -C ${unpacked} -xf ${tarFile}`);
    const caps = await sh(`getfattr -n security.capability -e hex ${unpacked}/tool`);
    assert.match(caps, new RegExp(`security.capability=${CAP_NET_RAW}`));
    assert.match(await sh(`getfattr -n user.note ${unpacked}/tool`), /user.note="hello"/);

    // applied on the base, the layer gives the tree the step saw
    const layer = await commitLayer(layerDiff(snaps.upperDir('step')), content, snaps, baseLayer.chainId);
    assert.match(layer.digest, /^sha256:/);
    assert.notEqual(layer.digest, layer.diffId, 'the blob is compressed');
    await snaps.prepare('check', layer.chainId);
    const view = path.join(root, 'view');
    await mountAt(snaps.mounts('check'), view);
    mounted.push(view);
    assert.deepEqual((await fs.readdir(view)).sort(), ['dir', 'fifo', 'keep', 'sym', 'tool', 'tool-link']);
    assert.deepEqual(await fs.readdir(path.join(view, 'dir')), ['new']);
    assert.equal(await fs.readFile(path.join(view, 'keep/k'), 'utf8'), 'k\nmore\n');
    const st = await fs.stat(path.join(view, 'tool'));
    assert.deepEqual([st.uid, st.gid, st.mode & 0o7777, st.nlink], [1234, 5678, 0o4750, 2]);
    assert.match(await sh(`getfattr -n security.capability -e hex ${view}/tool`), new RegExp(CAP_NET_RAW));
    await unmount(view);
    mounted.pop();
  });
});

/** A plain directory as a layer tar (every entry, no whiteouts), with the same writer. */
async function* tarChunks(dir: string): AsyncGenerator<Buffer> {
  yield* layerDiff(dir);
}
