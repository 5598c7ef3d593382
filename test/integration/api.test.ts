import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { TestDaemon } from './harness.js';

interface Case {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  readonly status: number;
  readonly message?: RegExp;
}

describe('Engine API', () => {
  let d: TestDaemon;
  before(async () => { d = await TestDaemon.start(); });
  after(async () => { await d?.cleanup(); });

  it('_ping and version answer with the negotiation headers', async () => {
    const ping = await d.request('GET', '/_ping');
    assert.equal(ping.status, 200);
    assert.equal(ping.body, 'OK');
    assert.equal(ping.headers['api-version'], '1.47');
    assert.equal(ping.headers['ostype'], 'linux');
    assert.match(String(ping.headers['server']), /^berth\//);
    const head = await d.request('HEAD', '/_ping');
    assert.equal(head.status, 200);
    const v = await d.request('GET', '/v1.24/version');
    const json = v.json as { ApiVersion: string; MinAPIVersion: string; Os: string };
    assert.equal(json.ApiVersion, '1.47');
    assert.equal(json.MinAPIVersion, '1.24');
    assert.equal(json.Os, 'linux');
  });

  const cases: readonly Case[] = [
    { name: 'too old an API version', method: 'GET', path: '/v1.12/version', status: 400, message: /client version 1.12 is too old. Minimum supported API version is 1.24/ },
    { name: 'too new an API version', method: 'GET', path: '/v1.99/containers/json', status: 400, message: /client version 1.99 is too new. Maximum supported API version is 1.47/ },
    { name: 'an unknown path', method: 'GET', path: '/v1.47/nothing/here', status: 404, message: /page not found/ },
    { name: 'inspect of a missing container', method: 'GET', path: '/v1.47/containers/nope/json', status: 404, message: /^No such container: nope$/ },
    { name: 'inspect of a missing image', method: 'GET', path: '/v1.47/images/nope/json', status: 404, message: /^No such image: nope:latest$/ },
    { name: 'create from a missing image', method: 'POST', path: '/v1.47/containers/create', body: { Image: 'nope' }, status: 404, message: /^No such image: nope:latest$/ },
    { name: 'create with malformed JSON', method: 'POST', path: '/v1.47/containers/create', body: '{"Image": "busybox",', status: 400 },
    { name: 'create with a wrongly typed field', method: 'POST', path: '/v1.47/containers/create', body: { Image: 'busybox', Env: 'A=1' }, status: 400, message: /cannot unmarshal string/ },
    { name: 'create with a JSON array body', method: 'POST', path: '/v1.47/containers/create', body: [1, 2], status: 400 },
    { name: 'create without an image', method: 'POST', path: '/v1.47/containers/create', body: {}, status: 400 },
    { name: 'create with a bad name', method: 'POST', path: '/v1.47/containers/create?name=bad%2Fname', body: { Image: 'busybox' }, status: 400, message: /Invalid container name \(bad\/name\), only \[a-zA-Z0-9\]\[a-zA-Z0-9_.-\] are allowed/ },
    { name: 'create with an unknown restart policy', method: 'POST', path: '/v1.47/containers/create', body: { Image: 'busybox', HostConfig: { RestartPolicy: { Name: 'sometimes' } } }, status: 400 },
    { name: 'create with AutoRemove and a restart policy', method: 'POST', path: '/v1.47/containers/create', body: { Image: 'busybox', HostConfig: { AutoRemove: true, RestartPolicy: { Name: 'always' } } }, status: 400 },
    { name: 'a bad filter', method: 'GET', path: '/v1.47/containers/json?filters=%7B%22colour%22%3A%5B%22red%22%5D%7D', status: 400, message: /invalid filter 'colour'/ },
    { name: 'filters that are not JSON', method: 'GET', path: '/v1.47/containers/json?filters=oops', status: 400 },
    { name: 'kill with an unknown signal', method: 'POST', path: '/v1.47/containers/nope/kill?signal=FOO', status: 404 },
    { name: 'tag of a missing image', method: 'POST', path: '/v1.47/images/nope/tag?repo=x', status: 404 },
    { name: 'tag to an invalid reference', method: 'POST', path: '/v1.47/images/busybox/tag?repo=UPPER', status: 400 },
    { name: 'delete of a missing image', method: 'DELETE', path: '/v1.47/images/nope', status: 404 },
  ];
  for (const c of cases) {
    it(`answers ${c.status} to ${c.name}`, async () => {
      const r = await d.request(c.method, c.path, c.body);
      assert.equal(r.status, c.status, r.body);
      assert.equal(typeof (r.json as { message?: unknown }).message, 'string', 'errors are {"message": ...}');
      if (c.message !== undefined) assert.match((r.json as { message: string }).message, c.message);
    });
  }

  it('routes work with and without the version prefix and survive a hostile body', async () => {
    assert.equal((await d.request('GET', '/containers/json')).status, 200);
    const huge = Buffer.alloc(20 * 1024 * 1024, 0x7b);
    const r = await d.request('POST', '/v1.47/containers/create', huge, { 'Content-Type': 'application/json' });
    assert.equal(r.status, 400);
    assert.equal((await d.request('GET', '/_ping')).status, 200, 'the daemon is still up');
  });

  it('attach hijacks the connection and streams multiplexed frames until the container exits', async () => {
    const created = await d.request('POST', '/v1.47/containers/create', { Image: 'busybox', Cmd: ['sh', '-c', 'sleep 0.2; echo out; echo err >&2'] });
    const id = (created.json as { Id: string }).Id;
    const sock = net.connect(d.socket);
    sock.write(`POST /v1.47/containers/${id}/attach?stream=1&stdout=1&stderr=1 HTTP/1.1\r\nHost: berth\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n`);
    const chunks: Buffer[] = [];
    const ended = new Promise<void>((resolve) => {
      sock.on('data', (c: Buffer) => chunks.push(c));
      sock.on('end', () => resolve());
    });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await d.request('POST', `/v1.47/containers/${id}/start`)).status, 204);
    await ended;
    const all = Buffer.concat(chunks);
    const headerEnd = all.indexOf('\r\n\r\n');
    const head = all.subarray(0, headerEnd).toString();
    assert.match(head, /^HTTP\/1.1 101 UPGRADED\r\n/);
    assert.match(head, /Content-Type: application\/vnd.docker.multiplexed-stream/);
    let body = all.subarray(headerEnd + 4);
    const frames: Array<[number, string]> = [];
    while (body.length >= 8) {
      const size = body.readUInt32BE(4);
      frames.push([body[0] ?? 0, body.subarray(8, 8 + size).toString()]);
      body = body.subarray(8 + size);
    }
    assert.deepEqual(frames.sort(), [[1, 'out\n'], [2, 'err\n']]);
    await d.request('DELETE', `/v1.47/containers/${id}`);
  });

  it('start of a running container is 304 and of a missing one 404', async () => {
    const id = ((await d.request('POST', '/v1.47/containers/create', { Image: 'busybox', Cmd: ['sleep', '30'] })).json as { Id: string }).Id;
    assert.equal((await d.request('POST', `/v1.47/containers/${id}/start`)).status, 204);
    assert.equal((await d.request('POST', `/v1.47/containers/${id}/start`)).status, 304);
    assert.equal((await d.request('POST', '/v1.47/containers/nope/start')).status, 404);
    assert.equal((await d.request('DELETE', `/v1.47/containers/${id}?force=1`)).status, 204);
  });
});
