import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePublish } from './port-spec.js';

test('parsePublish() reads the forms of docker run -p', () => {
  assert.deepEqual(parsePublish(['8080:80']).bindings, { '80/tcp': [{ HostIp: '', HostPort: '8080' }] });
  assert.deepEqual(parsePublish(['80']).bindings, { '80/tcp': [{ HostIp: '', HostPort: '' }] });
  assert.deepEqual(parsePublish(['127.0.0.1:8080:80/udp']).bindings, { '80/udp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] });
  assert.deepEqual(parsePublish(['127.0.0.1::80']).bindings, { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] });
  assert.deepEqual(parsePublish(['8000-8001:80-81']).bindings, {
    '80/tcp': [{ HostIp: '', HostPort: '8000' }], '81/tcp': [{ HostIp: '', HostPort: '8001' }],
  });
  assert.deepEqual(parsePublish(['8000-8010:80']).bindings, { '80/tcp': [{ HostIp: '', HostPort: '8000-8010' }] });
  assert.deepEqual(parsePublish(['8080:80', '8081:80']).bindings, { '80/tcp': [{ HostIp: '', HostPort: '8080' }, { HostIp: '', HostPort: '8081' }] });
  assert.deepEqual(parsePublish(['8080:80']).exposed, ['80/tcp']);
});

test('parsePublish() refuses bad ports and mismatched ranges', () => {
  assert.throws(() => parsePublish(['abc']), /invalid containerPort: abc/);
  assert.throws(() => parsePublish(['99999:80']), /invalid hostPort: 99999/);
  assert.throws(() => parsePublish(['8000-8002:80-81']), /Invalid ranges specified/);
});
