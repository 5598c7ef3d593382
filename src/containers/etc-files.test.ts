import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostsFile, resolvConf } from './etc-files.js';

test('resolvConf() drops loopback servers and falls back to public ones', () => {
  const out = resolvConf('nameserver 127.0.0.53\nsearch example.com\n', { dns: [], dnsSearch: [], dnsOptions: [], keepLoopback: false });
  assert.equal(out, 'search example.com\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n');
});

test('resolvConf() uses --dns and --dns-search over the host\'s', () => {
  const out = resolvConf('nameserver 10.0.0.2\n', { dns: ['1.1.1.1'], dnsSearch: ['a.test'], dnsOptions: ['ndots:2'], keepLoopback: false });
  assert.equal(out, 'search a.test\nnameserver 1.1.1.1\noptions ndots:2\n');
});

test('hostsFile() lists localhost, extra hosts and the container\'s own address', () => {
  const out = hostsFile({ hostname: 'abc', domainname: '', ip: '172.17.0.2', extraHosts: ['db:10.0.0.5'] });
  assert.match(out, /^127\.0\.0\.1\tlocalhost\n/);
  assert.match(out, /10\.0\.0\.5\tdb\n/);
  assert.match(out, /172\.17\.0\.2\tabc\n$/);
});
