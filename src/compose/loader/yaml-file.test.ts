import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseComposeYaml } from './yaml-file.js';

test('parseComposeYaml() resolves anchors and merge keys', () => {
  const v = parseComposeYaml('x-base: &base\n  image: a\nservices:\n  web:\n    <<: *base\n    tty: true\n', 'c.yaml');
  assert.deepEqual((v as { services: unknown }).services, { web: { image: 'a', tty: true } });
});

test('parseComposeYaml() refuses a billion-laughs alias bomb quickly', () => {
  const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 9; i++) lines.push(`${'abcdefghi'[i]}: &${'abcdefghi'[i]} [${Array(9).fill(`*${'abcdefghi'[i - 1]}`).join(',')}]`);
  const start = Date.now();
  assert.throws(() => parseComposeYaml(lines.join('\n'), 'bomb.yaml'), /bomb.yaml: yaml: document contains excessive aliasing/);
  assert.ok(Date.now() - start < 2000);
});

test('parseComposeYaml() refuses deep nesting with a clear message', () => {
  assert.throws(() => parseComposeYaml(`a: ${'['.repeat(50000)}${']'.repeat(50000)}`, 'deep.yaml'), /deep.yaml: yaml: document nested too deeply/);
  let block = 'a:\n';
  for (let i = 1; i < 150; i++) block += `${'  '.repeat(i)}k${i}:\n`;
  assert.throws(() => parseComposeYaml(block, 'deep2.yaml'), /nested too deeply/);
});

test('parseComposeYaml() reports syntax errors with the file and line', () => {
  assert.throws(() => parseComposeYaml('services:\n  web:\n    image: a\n   bad: [\n', 'bad.yaml'), /bad.yaml: yaml: line 4: /);
  assert.throws(() => parseComposeYaml('a: 1\na: 2\n', 'dup.yaml'), /dup.yaml: yaml: line 2: .*[Uu]nique/);
});
