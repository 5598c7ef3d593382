import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contains, firstHost, formatCidr, formatIpv4, isWithin, overlaps, parseCidr, parseIpv4 } from './cidr.js';

test('parseCidr() normalizes a host address to its network and keeps the address', () => {
  const { cidr, address } = parseCidr('172.18.0.1/16');
  assert.equal(formatCidr(cidr), '172.18.0.0/16');
  assert.equal(formatIpv4(address), '172.18.0.1');
  assert.equal(formatIpv4(firstHost(parseCidr('10.1.2.0/24').cidr)), '10.1.2.1');
  assert.equal(formatCidr(parseCidr('255.255.255.255/32').cidr), '255.255.255.255/32');
});

test('parseCidr() refuses what is not an IPv4 CIDR with Docker\'s wording', () => {
  for (const bad of ['10.0.0.0', '10.0.0/8', '300.1.1.1/8', '10.0.0.0/33', 'abc']) {
    assert.throws(() => parseCidr(bad), /invalid CIDR address/);
  }
});

test('overlaps(), contains() and isWithin() compare ranges', () => {
  const a = parseCidr('172.17.0.0/16').cidr;
  assert.ok(overlaps(a, parseCidr('172.17.5.0/24').cidr));
  assert.ok(!overlaps(a, parseCidr('172.18.0.0/16').cidr));
  assert.ok(contains(a, parseIpv4('172.17.255.255') ?? 0));
  assert.ok(isWithin(parseCidr('172.17.5.0/24').cidr, a));
  assert.ok(!isWithin(a, parseCidr('172.17.5.0/24').cidr));
});
