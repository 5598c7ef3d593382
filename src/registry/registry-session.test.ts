import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Endpoint } from './registry-hosts.js';
import { drain, RegistrySession } from './registry-session.js';

/** A fake registry with token auth: tokens name their scopes; /v2/<repo>/... checks them. */
function fakeRegistry(): { server: http.Server; requests: string[]; tokenScopes: string[][]; port: () => number } {
  const requests: string[] = [];
  const tokenScopes: string[][] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(`${req.method ?? ''} ${url.pathname}`);
    const port = (server.address() as AddressInfo).port;
    if (url.pathname === '/token') {
      const authz = req.headers.authorization;
      if (authz !== undefined && authz !== `Basic ${Buffer.from('alice:pw').toString('base64')}`) {
        res.writeHead(401).end();
        return;
      }
      const scopes = url.searchParams.getAll('scope');
      tokenScopes.push(scopes);
      const who = authz === undefined ? 'anon' : 'alice';
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token: `${who}|${scopes.join(' ')}`, expires_in: 300 }));
      return;
    }
    const m = /^\/v2\/(.+)\/manifests\/(.+)$/.exec(url.pathname);
    const need = m === null ? '' : `repository:${m[1] ?? ''}:${req.method === 'PUT' ? 'pull,push' : 'pull'}`;
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const [who = '', scopeText = ''] = token.split('|');
    const ok = token !== '' && (need === '' || scopeText.split(' ').includes(need)) && (req.method !== 'PUT' || who === 'alice');
    if (!ok) {
      res.writeHead(401, {
        'WWW-Authenticate': `Bearer realm="http://127.0.0.1:${port}/token",service="fake"${need !== '' ? `,scope="${need}"` : ''}`,
        'Content-Type': 'application/json',
      }).end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`hello ${who}`);
  });
  return { server, requests, tokenScopes, port: () => (server.address() as AddressInfo).port };
}

describe('RegistrySession', () => {
  const fake = fakeRegistry();
  let endpoint: Endpoint;
  before(async () => {
    await new Promise<void>((r) => fake.server.listen(0, '127.0.0.1', () => r()));
    // https first, then plain HTTP: the fake speaks HTTP only, as a loopback registry may.
    endpoint = { baseUrl: `https://127.0.0.1:${fake.port()}`, host: `127.0.0.1:${fake.port()}`, mirror: false, verifyTls: true, tls: {}, httpFallback: true };
  });
  after(() => {
    fake.server.closeAllConnections();
    fake.server.close();
  });

  test('send() answers a Bearer challenge with an anonymous token for the scope, then reuses it', async () => {
    const s = new RegistrySession(endpoint, {});
    try {
      const res = await s.send('GET', '/v2/lib/app/manifests/1', { scopes: ['repository:lib/app:pull'] });
      assert.equal(res.statusCode, 200);
      assert.equal(await drain(res), 'hello anon');
      assert.deepEqual(fake.tokenScopes.at(-1), ['repository:lib/app:pull']);
      assert.equal(s.base, `http://127.0.0.1:${fake.port()}`, 'fell back to plain HTTP on loopback');
      const before = fake.tokenScopes.length;
      const again = await s.send('GET', '/v2/lib/app/manifests/2', { scopes: ['repository:lib/app:pull'] });
      await drain(again);
      assert.equal(again.statusCode, 200);
      assert.equal(fake.tokenScopes.length, before, 'the cached token was used');
    } finally {
      s.close();
    }
  });

  test('send() fetches a token with credentials for a push scope', async () => {
    const s = new RegistrySession(endpoint, { username: 'alice', password: 'pw' });
    try {
      const res = await s.send('PUT', '/v2/lib/app/manifests/1', { scopes: ['repository:lib/app:pull,push'], body: () => Buffer.from('{}') });
      assert.equal(await drain(res), 'hello alice');
      assert.deepEqual(fake.tokenScopes.at(-1), ['repository:lib/app:pull,push']);
    } finally {
      s.close();
    }
  });

  test('wrong credentials fail with an unauthorized error that does not contain the password', async () => {
    const s = new RegistrySession(endpoint, { username: 'alice', password: 'not-the-password' });
    try {
      await assert.rejects(s.send('GET', '/v2/lib/app/manifests/1', { scopes: ['repository:lib/app:pull'] }), (e: unknown) => {
        assert.ok(e instanceof Error);
        assert.match(e.message, /unauthorized: incorrect username or password/);
        assert.doesNotMatch(e.message, /not-the-password/);
        return true;
      });
    } finally {
      s.close();
    }
  });

  test('credentials never go to another host that a Location or redirect names', async () => {
    const seen: Array<string | undefined> = [];
    const other = http.createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(201).end();
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
    const s = new RegistrySession({ ...endpoint, baseUrl: `http://127.0.0.1:${fake.port()}` }, { username: 'alice', password: 'pw' });
    try {
      await drain(await s.send('GET', '/v2/lib/app/manifests/1', { scopes: ['repository:lib/app:pull'] }));
      const res = await s.send('PUT', `http://localhost:${(other.address() as AddressInfo).port}/upload?digest=x`, { scopes: ['repository:lib/app:pull'], body: () => Buffer.from('data') });
      await drain(res);
      assert.equal(res.statusCode, 201);
      assert.deepEqual(seen, [undefined]);
    } finally {
      s.close();
      other.close();
    }
  });

  test('a token realm over plain HTTP on another host is refused', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="http://auth.example.com/token",service="x"' }).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    const s = new RegistrySession({ ...endpoint, baseUrl: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}` }, {});
    try {
      await assert.rejects(s.send('GET', '/v2/', { scopes: [] }), /refusing token realm http:\/\/auth\.example\.com \(HTTPS is required\)/);
    } finally {
      s.close();
      server.close();
    }
  });

  test('a registry not allowed plain HTTP is never asked over HTTP', async () => {
    const s = new RegistrySession({ ...endpoint, httpFallback: false }, {});
    try {
      await assert.rejects(s.send('GET', '/v2/', { scopes: [] }), /server gave HTTP response to HTTPS client/);
    } finally {
      s.close();
    }
  });
});
