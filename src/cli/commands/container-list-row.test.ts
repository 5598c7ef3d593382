import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerListEntry } from '../../client/engine-types.js';
import { containerRow, displayablePorts, ellipsis } from './container-list-row.js';

function entry(over: Partial<ContainerListEntry>): ContainerListEntry {
  return {
    Id: 'a'.repeat(64), Names: ['/web'], Image: 'busybox', ImageID: `sha256:${'b'.repeat(64)}`, Command: 'sh',
    Created: 0, Ports: [], Labels: null, State: 'running', Status: 'Up', Mounts: [], ...over,
  };
}

test('displayablePorts() groups consecutive ports and lists host mappings last, as docker does', () => {
  assert.equal(displayablePorts([{ PrivatePort: 9988, Type: 'tcp' }]), '9988/tcp');
  assert.equal(displayablePorts([{ IP: '::', PrivatePort: 9988, Type: 'tcp' }]), '[::]:0->9988/tcp');
  assert.equal(displayablePorts([{ IP: '4.3.2.1', PrivatePort: 9988, PublicPort: 9988, Type: 'tcp' }]), '4.3.2.1:9988->9988/tcp');
  assert.equal(displayablePorts([{ PrivatePort: 9988, Type: 'udp' }, { PrivatePort: 9988, Type: 'udp' }]), '9988/udp, 9988/udp');
  assert.equal(
    displayablePorts([{ IP: '1.2.3.4', PublicPort: 9998, PrivatePort: 9998, Type: 'udp' }, { IP: '1.2.3.4', PublicPort: 9999, PrivatePort: 9999, Type: 'udp' }]),
    '1.2.3.4:9998-9999->9998-9999/udp',
  );
  assert.equal(
    displayablePorts([
      { PrivatePort: 9988, PublicPort: 8899, Type: 'udp' },
      { IP: '1.2.3.4', PrivatePort: 6677, PublicPort: 7766, Type: 'tcp' },
      { IP: '4.3.2.1', PrivatePort: 2233, PublicPort: 3322, Type: 'tcp' },
    ]),
    '9988/udp, 4.3.2.1:3322->2233/tcp, 1.2.3.4:7766->6677/tcp',
  );
});

test('ellipsis() cuts to display columns, wide characters counting two', () => {
  assert.equal(ellipsis('sh -c echo out; echo err', 20), 'sh -c echo out; ech…');
  assert.equal(ellipsis('echo héllo wörld this is long', 20), 'echo héllo wörld th…');
  assert.equal(ellipsis('你好世界你好世界你好世界', 5), '你好…');
  assert.equal(ellipsis('short', 20), 'short');
});

test('containerRow() truncates the ID, quotes the command and shortens image names like docker ps', () => {
  const row = containerRow(entry({ Image: 'docker.io/library/busybox:1@sha256:' + 'c'.repeat(64), Command: 'echo "hi"' }), true, new Date(0));
  assert.equal(row.ID, 'aaaaaaaaaaaa');
  assert.equal(row.Command, '"echo \\"hi\\""');
  assert.equal(row.Image, 'busybox:1');
  assert.equal(containerRow(entry({ Image: `sha256:${'b'.repeat(64)}` }), true, new Date(0)).Image, 'bbbbbbbbbbbb');
  assert.equal(containerRow(entry({ Image: 'UPPER' }), true, new Date(0)).Image, 'UPPER');
  assert.equal(containerRow(entry({ Image: '' }), true, new Date(0)).Image, '<no image>');
});

test('containerRow() shows only the own name when truncating, and sorted labels', () => {
  const c = entry({ Names: ['/other/alias', '/web'], Labels: { b: '2', a: '1' } });
  assert.equal(containerRow(c, true, new Date(0)).Names, 'web');
  assert.equal(containerRow(c, false, new Date(0)).Names, 'other/alias,web');
  assert.equal(containerRow(c, true, new Date(0)).Labels, 'a=1,b=2');
  assert.equal(containerRow(c, true, new Date(0)).Label('b'), '2');
});

test('containerRow() reports reading .Size, which makes ps ask for sizes', () => {
  let used = false;
  const row = containerRow(entry({ SizeRw: 12, SizeRootFs: 2_140_160 }), true, new Date(0), () => { used = true; });
  assert.equal(used, false);
  assert.equal(row.Size, '12B (virtual 2.14MB)');
  assert.equal(used, true);
});
