import { test } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import { EmbeddedDns } from './embedded-dns.js';

const dns = new EmbeddedDns({
  lookup: (_net, name) => (name === 'web' ? ['10.1.0.2', '10.1.0.3'] : name === 'db' ? ['10.1.0.4'] : []),
  reverse: (_net, ip) => (ip === '10.1.0.4' ? 'db' : undefined),
  forwarders: async () => [],
}, () => undefined);

type Reply = { id?: number; rcode?: string; answers?: Array<{ data?: unknown }> };

const ask = async (name: string, type: 'A' | 'AAAA' | 'PTR' | 'MX'): Promise<Reply> => {
  const reply = await dns.answer('n', dnsPacket.encode({ id: 7, type: 'query', flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }] }), '10.1.0.9');
  assert.ok(reply !== undefined);
  return dnsPacket.decode(reply) as Reply;
};

test('EmbeddedDns.answer() gives every address of a name shared by several containers', async () => {
  const r = await ask('web', 'A');
  assert.equal(r.id, 7);
  assert.deepEqual((r.answers ?? []).map((a) => String(a.data)).sort(), ['10.1.0.2', '10.1.0.3']);
  assert.equal(r.rcode, 'NOERROR');
});

test('EmbeddedDns.answer() answers names case-insensitively, with no IPv6 for known names, and reverse lookups', async () => {
  assert.deepEqual((await ask('DB.', 'A')).answers?.map((a) => a.data), ['10.1.0.4']);
  const aaaa = await ask('db', 'AAAA');
  assert.equal(aaaa.rcode, 'NOERROR');
  assert.deepEqual(aaaa.answers, []);
  assert.deepEqual((await ask('4.0.1.10.in-addr.arpa', 'PTR')).answers?.map((a) => a.data), ['db']);
});

test('EmbeddedDns.answer() reports SERVFAIL for other names when no forwarder answers', async () => {
  assert.equal((await ask('example.org', 'A')).rcode, 'SERVFAIL');
});

test('EmbeddedDns.serve() fails, and does not hang, when its TCP port is taken on the address', async () => {
  const net = await import('node:net');
  const squatter = net.createServer();
  await new Promise<void>((resolve) => squatter.listen(53, '127.0.0.77', () => resolve()));
  try {
    await assert.rejects(dns.serve('taken', '127.0.0.77'), /EADDRINUSE/);
  } finally {
    await new Promise((r) => squatter.close(r));
  }
});
