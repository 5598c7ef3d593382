import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePortShort } from './port-syntax.js';
import { parseVolumeShort } from './volume-syntax.js';
import { formatGoDuration, parseComposeDuration } from './duration.js';
import { splitShellWords } from './shell-words.js';

test('parsePortShort() expands the short syntax like compose v2', () => {
  assert.deepEqual(parsePortShort('8000:5000'), [{ mode: 'ingress', target: 5000, published: '8000', protocol: 'tcp' }]);
  assert.deepEqual(parsePortShort('127.0.0.1:53:53/udp'), [{ mode: 'ingress', host_ip: '127.0.0.1', target: 53, published: '53', protocol: 'udp' }]);
  assert.deepEqual(parsePortShort('3000-3001').map((p) => p.target), [3000, 3001]);
  assert.deepEqual(parsePortShort('9000-9001:80-81').map((p) => [p.published, p.target]), [['9000', 80], ['9001', 81]]);
  assert.deepEqual(parsePortShort('[::1]:8080:80'), [{ mode: 'ingress', host_ip: '::1', target: 80, published: '8080', protocol: 'tcp' }]);
  assert.throws(() => parsePortShort('80/xyz'), /invalid proto: xyz/);
  assert.throws(() => parsePortShort('abc'), /invalid containerPort: abc/);
});

test('parseVolumeShort() tells binds from named and anonymous volumes', () => {
  assert.deepEqual(parseVolumeShort('./src:/app:ro'), { type: 'bind', source: './src', target: '/app', read_only: true, bind: { create_host_path: true } });
  assert.deepEqual(parseVolumeShort('data:/var/lib/data'), { type: 'volume', source: 'data', target: '/var/lib/data', volume: {} });
  assert.deepEqual(parseVolumeShort('/cache'), { type: 'volume', target: '/cache', volume: {} });
  assert.deepEqual(parseVolumeShort('data:/d:nocopy'), { type: 'volume', source: 'data', target: '/d', volume: { nocopy: true } });
  assert.throws(() => parseVolumeShort('a:/b:bogus'), /invalid mode: bogus/);
});

test('compose durations print as Go durations', () => {
  const cases: Array<[string, string]> = [['90s', '1m30s'], ['10s', '10s'], ['500ms', '500ms'], ['1h', '1h0m0s'], ['1.5s', '1.5s'], ['0', '0s']];
  for (const [input, want] of cases) assert.equal(formatGoDuration(parseComposeDuration(input)), want, input);
  assert.throws(() => parseComposeDuration('10 seconds'), /invalid duration/);
});

test('splitShellWords() splits command strings as compose v2 does', () => {
  assert.deepEqual(splitShellWords(`sh -c 'echo "hi there"' a\\ b "x y"`), ['sh', '-c', 'echo "hi there"', 'a b', 'x y']);
  assert.throws(() => splitShellWords('echo "open'), /invalid command line string/);
});
