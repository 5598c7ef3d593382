import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeFiles } from './merge.js';

const web = (over: Record<string, unknown>) => ({ services: { web: over } });

test('mergeFiles() follows the Compose Specification merge rules, as compose v2', () => {
  const cases: Array<[string, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>]> = [
    ['scalars are replaced', { image: 'a', user: 'u' }, { image: 'b' }, { image: 'b', user: 'u' }],
    ['mappings merge key by key', { environment: { A: '1', B: '2' } }, { environment: { B: '3' } }, { environment: { A: '1', B: '3' } }],
    ['command is replaced, never appended', { command: ['a', 'b'] }, { command: ['c'] }, { command: ['c'] }],
    ['entrypoint is replaced', { entrypoint: ['sh'] }, { entrypoint: ['bash'] }, { entrypoint: ['bash'] }],
    ['healthcheck.test is replaced, the rest merged', { healthcheck: { test: ['CMD', 'a'], retries: 3 } }, { healthcheck: { test: ['CMD', 'b'] } }, { healthcheck: { test: ['CMD', 'b'], retries: 3 } }],
    ['ports append, the same binding once',
      { ports: [{ target: 80, published: '8080', protocol: 'tcp' }] },
      { ports: [{ target: 80, published: '8080', protocol: 'tcp' }, { target: 443, published: '8443', protocol: 'tcp' }] },
      { ports: [{ target: 80, published: '8080', protocol: 'tcp' }, { target: 443, published: '8443', protocol: 'tcp' }] }],
    ['volumes are keyed by target: the later mount replaces in place',
      { volumes: [{ type: 'bind', source: './a', target: '/app' }, { type: 'volume', source: 'd', target: '/data' }] },
      { volumes: [{ type: 'bind', source: './b', target: '/app' }] },
      { volumes: [{ type: 'bind', source: './b', target: '/app' }, { type: 'volume', source: 'd', target: '/data' }] }],
    ['string sequences append without duplicates', { cap_add: ['NET_ADMIN'], dns: ['1.1.1.1'] }, { cap_add: ['NET_ADMIN', 'SYS_TIME'], dns: ['8.8.8.8'] }, { cap_add: ['NET_ADMIN', 'SYS_TIME'], dns: ['1.1.1.1', '8.8.8.8'] }],
    ['a logging driver change drops the old options', { logging: { driver: 'json-file', options: { 'max-size': '1m' } } }, { logging: { driver: 'local' } }, { logging: { driver: 'local' } }],
    ['the same logging driver merges options', { logging: { driver: 'json-file', options: { a: '1' } } }, { logging: { options: { b: '2' } } }, { logging: { driver: 'json-file', options: { a: '1', b: '2' } } }],
    ['networks merge, a bare entry keeps the earlier settings', { networks: { front: { aliases: ['x'] } } }, { networks: { front: null, back: null } }, { networks: { front: { aliases: ['x'] }, back: null } }],
    ['depends_on merges by service', { depends_on: { db: { condition: 'service_started', required: true } } }, { depends_on: { db: { condition: 'service_healthy' }, cache: { condition: 'service_started', required: true } } },
      { depends_on: { db: { condition: 'service_healthy', required: true }, cache: { condition: 'service_started', required: true } } }],
  ];
  for (const [name, base, over, want] of cases) assert.deepEqual(mergeFiles(web(base), web(over)), web(want), name);
});

test('mergeFiles() adds services and top-level resources from the later file', () => {
  assert.deepEqual(
    mergeFiles({ services: { a: { image: 'a' } }, volumes: { v: {} } }, { services: { b: { image: 'b' } }, networks: { n: { driver: 'bridge' } } }),
    { services: { a: { image: 'a' }, b: { image: 'b' } }, volumes: { v: {} }, networks: { n: { driver: 'bridge' } } },
  );
});
