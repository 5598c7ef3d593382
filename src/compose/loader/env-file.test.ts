import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEnvFile } from './env-file.js';

test('parseEnvFile() reads the .env syntax compose v2 accepts', () => {
  const text = [
    '# comment', '', 'A=1', 'export B=two', 'C="quoted # not comment"', "D='single ${A}'", 'E="line\\nbreak"',
    'F=unquoted # comment', 'G=${A}-x', 'H=', ' I = spaced ', 'J="multi', 'line"',
  ].join('\n');
  const vars = parseEnvFile(text, (n) => (n === 'HOME_X' ? 'h' : undefined));
  assert.deepEqual(Object.fromEntries(vars), {
    A: '1', B: 'two', C: 'quoted # not comment', D: 'single ${A}', E: 'line\nbreak', F: 'unquoted', G: '1-x', H: '', I: 'spaced', J: 'multi\nline',
  });
});

test('parseEnvFile() rejects a bad variable name with its line', () => {
  assert.throws(() => parseEnvFile('OK=1\nBAD KEY=2'), /line 2/);
});
