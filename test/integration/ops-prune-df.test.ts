import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { exec, parseTable, TestDaemon } from './harness.js';

/** Bytes in regular files and symlinks under `dir`, as `find` sees them. */
async function bytesUnder(dir: string): Promise<number> {
  const r = await exec('find', [dir, '(', '-type', 'f', '-o', '-type', 'l', ')', '-printf', '%s\n']);
  return r.stdout.split('\n').filter(Boolean).reduce((n, s) => n + Number(s), 0);
}

interface Df {
  LayersSize: number;
  Images: Array<{ Id: string; Size: number; SharedSize: number; Containers: number }>;
  Containers: Array<{ Id: string; SizeRw: number; SizeRootFs: number }>;
  Volumes: Array<{ Name: string; UsageData: { Size: number; RefCount: number } }>;
  BuildCache: unknown[];
}

describe('system df and prune', () => {
  let d: TestDaemon;
  before(async () => { d = await TestDaemon.start(); });
  after(async () => { await d?.cleanup(); });

  it('system df adds up to what is on disk, and berth and docker print it alike', async () => {
    await d.berth(['volume', 'create', 'dfvol']);
    await d.berth(['run', '-d', '--name', 'dfc', '-v', 'dfvol:/data', 'busybox', 'sh', '-c', 'head -c 100000 /dev/zero > /data/f; head -c 5000 /dev/zero > /f; sleep 300']);
    await d.berth(['create', '--name', 'dfidle', 'busybox', 'true']);
    await new Promise((r) => setTimeout(r, 500));
    const df = (await d.request('GET', '/v1.47/system/df')).json as Df;

    const snapshots = path.join(d.dataRoot, 'snapshots');
    let layers = 0;
    for (const n of await fs.readdir(snapshots)) {
      const rec = JSON.parse(await fs.readFile(path.join(snapshots, n, 'snapshot.json'), 'utf8').catch(() => '{}')) as { kind?: string };
      if (rec.kind === 'committed') layers += await bytesUnder(path.join(snapshots, n, 'fs'));
    }
    assert.ok(layers > 1_000_000);
    assert.equal(df.LayersSize, layers);
    assert.equal(df.Images.length, 1);
    assert.equal(df.Images[0]?.Size, layers);
    assert.equal(df.Images[0]?.SharedSize, 0);
    assert.equal(df.Images[0]?.Containers, 2);
    const dfc = (await d.berth(['inspect', '-f', '{{.Id}}', 'dfc'])).stdout.trim();
    const c = df.Containers.find((x) => x.Id === dfc);
    assert.ok(c !== undefined);
    assert.ok(c.SizeRw >= 5000 && c.SizeRw < 6000, `SizeRw ${c.SizeRw}`);
    assert.equal(c.SizeRootFs, c.SizeRw + layers);
    const vol = df.Volumes.find((v) => v.Name === 'dfvol');
    assert.deepEqual(vol?.UsageData, { Size: await bytesUnder(path.join(d.dataRoot, 'volumes', 'dfvol', '_data')), RefCount: 1 });
    assert.equal(vol?.UsageData.Size, 100000);
    assert.deepEqual(df.BuildCache, []);

    for (const args of [['system', 'df'], ['system', 'df', '-v'], ['system', 'df', '--format', '{{json .}}'], ['system', 'df', '--format', 'table {{.Type}}\t{{.Active}}']]) {
      const b = await d.berth(args);
      assert.equal(b.code, 0, b.stderr);
      // The two runs are a moment apart: times ("Up 1 second") and the column widths they set may differ.
      const timeless = (s: string): string => s.replace(/\d+ seconds? ago|Less than a second ago/g, 'T').replace(/Up (Less than a second|\d+ seconds?)/g, 'Up T').replace(/ {2,}/g, '  ');
      assert.equal(timeless(b.stdout), timeless((await d.docker(args)).stdout), args.join(' '));
    }
    const rows = parseTable((await d.berth(['system', 'df'])).stdout);
    assert.deepEqual(rows.map((r) => [r['TYPE'], r['TOTAL'], r['ACTIVE'], r['SIZE'], r['RECLAIMABLE']]), [
      ['Images', '1', '1', '2.14MB', '0B (0%)'].map((v, i) => (i === 3 ? rows[0]?.['SIZE'] ?? '' : v)),
      ['Containers', '2', '1', '5kB', '0B (0%)'],
      ['Local Volumes', '1', '1', '100kB', '0B (0%)'],
      ['Build Cache', '0', '0', '0B', '0B'],
    ]);
    const bad = await d.request('GET', '/v1.47/system/df?type=bogus');
    assert.equal(bad.status, 400);
    const only = (await d.request('GET', '/v1.47/system/df?type=volume')).json as Df;
    assert.equal(only.Images, null);
    assert.equal(only.Volumes.length, 1);
    await d.berth(['rm', '-f', 'dfc', 'dfidle']);
    await d.berth(['volume', 'rm', 'dfvol']);
  });

  it('system prune removes stopped containers, unused networks, dangling images, and with --volumes anonymous volumes', async () => {
    await d.berth(['network', 'create', 'spnet']);
    await d.berth(['volume', 'create', 'spkeep']);
    await d.berth(['run', '--name', 'spdone', '-v', '/anon', '-v', 'spkeep:/k', 'busybox', 'sh', '-c', 'head -c 3000 /dev/zero > /junk']);
    await d.berth(['run', '-d', '--name', 'splive', 'busybox', 'sleep', '300']);
    await d.berth(['tag', 'busybox', 'spimg:1']);
    const anon = (await d.berth(['inspect', '-f', '{{range .Mounts}}{{if eq .Destination "/anon"}}{{.Name}}{{end}}{{end}}', 'spdone'])).stdout.trim();

    // Declining changes nothing; the prompt is docker's.
    const no = await d.berth(['system', 'prune'], { input: 'n\n' });
    assert.equal(no.code, 0);
    assert.equal(no.stdout, (await d.docker(['system', 'prune'], { input: 'n\n' })).stdout);
    assert.equal((await d.berth(['ps', '-aq', '--filter', 'name=spdone'])).stdout.trim().length, 12);

    const r = await d.berth(['system', 'prune', '-f', '--volumes']);
    assert.equal(r.code, 0, r.stderr);
    const id = (await d.berth(['ps', '-aq', '--no-trunc', '--filter', 'name=splive'])).stdout.trim();
    assert.match(r.stdout, /^Deleted Containers:\n[0-9a-f]{64}\n\nDeleted Networks:\nspnet\n\nDeleted Volumes:\n[0-9a-f]{64}\n\nTotal reclaimed space: 3kB\n$/);
    assert.ok(r.stdout.includes(`${anon}\n`));
    assert.ok(!r.stdout.includes(id));
    assert.equal((await d.berth(['ps', '-aq'])).stdout.trim(), id.slice(0, 12));
    assert.deepEqual((await d.berth(['volume', 'ls', '-q'])).stdout.split('\n').filter(Boolean), ['spkeep']);
    assert.equal((await d.berth(['network', 'ls', '-q', '--filter', 'name=spnet'])).stdout, '');
    // Tagged images stay without -a; with -a, those no container uses go.
    assert.match((await d.berth(['images', '--format', '{{.Repository}}:{{.Tag}}'])).stdout, /spimg:1/);
    const all = await d.docker(['system', 'prune', '-af']);
    assert.equal(all.code, 0, all.stderr);
    assert.equal(all.stdout, 'Total reclaimed space: 0B\n', 'busybox is still used by a container, and spimg:1 is the same image');
    await d.berth(['rm', '-f', 'splive']);
    const images = await d.berth(['system', 'prune', '-af']);
    assert.match(images.stdout, /^Deleted Images:\nuntagged: (busybox:latest|spimg:1)\nuntagged: (busybox:latest|spimg:1)\ndeleted: sha256:[0-9a-f]{64}\n(deleted: sha256:[0-9a-f]{64}\n)+\nTotal reclaimed space: [\d.]+MB\n$/);
    assert.equal((await d.berth(['images', '-q'])).stdout, '');
    await d.berth(['volume', 'rm', 'spkeep']);
    const imported = await d.berth(['import', '--change', 'CMD ["sh"]', path.join(process.cwd(), '.cache/base-images/busybox.tar'), 'busybox:latest']);
    assert.equal(imported.code, 0, imported.stderr);
  });

  it('prune filters: label, label! and until, for containers, networks and the system at once', async () => {
    await d.berth(['create', '--name', 'ftmp', '--label', 'tier=tmp', 'busybox', 'true']);
    await d.berth(['create', '--name', 'fkeep', '--label', 'keep=yes', 'busybox', 'true']);
    await d.berth(['network', 'create', '--label', 'tier=tmp', 'fnet1']);
    await d.berth(['network', 'create', 'fnet2']);
    const names = async (): Promise<string[]> => (await d.berth(['ps', '-a', '--format', '{{.Names}}'])).stdout.split('\n').filter(Boolean).sort();

    const recent = await d.berth(['container', 'prune', '-f', '--filter', 'until=1h']);
    assert.equal(recent.stdout, 'Total reclaimed space: 0B\n');
    assert.deepEqual(await names(), ['fkeep', 'ftmp']);
    const byLabel = await d.docker(['container', 'prune', '-f', '--filter', 'label=tier=tmp']);
    assert.match(byLabel.stdout, /^Deleted Containers:\n[0-9a-f]{64}\n\nTotal reclaimed space: 0B\n$/);
    assert.deepEqual(await names(), ['fkeep']);
    await d.berth(['create', '--name', 'fother', 'busybox', 'true']);
    await d.berth(['container', 'prune', '-f', '--filter', 'label!=keep']);
    assert.deepEqual(await names(), ['fkeep']);

    const nets = await d.berth(['network', 'prune', '-f', '--filter', 'label=tier=tmp']);
    assert.equal(nets.stdout, 'Deleted Networks:\nfnet1\n\n');
    const sys = await d.berth(['system', 'prune', '-f', '--filter', 'label!=keep']);
    assert.equal(sys.stdout, 'Deleted Networks:\nfnet2\n\nTotal reclaimed space: 0B\n');
    assert.deepEqual(await names(), ['fkeep']);
    const vol = await d.berth(['volume', 'prune', '-f', '--filter', 'until=1h']);
    assert.equal(vol.code, 1);
    assert.equal(vol.stderr, "Error response from daemon: invalid filter 'until'\n");
    await d.berth(['rm', 'fkeep']);
  });
});
