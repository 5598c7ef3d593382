import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandWord, expandWords, ExpansionError } from './shell-lex.js';

const env = new Map([['v', 'val'], ['empty', ''], ['path', '/usr/local/bin'], ['spaced', 'a b  c'], ['file', 'archive.tar.gz']]);

const cases: Array<[string, string]> = [
  ['$v', 'val'],
  ['${v}', 'val'],
  ['x${v}y', 'xvaly'],
  ['$v/sub', 'val/sub'],
  ['$unset', ''],
  ['${unset:-def}', 'def'],
  ['${empty:-def}', 'def'],
  ['${empty-def}', ''],
  ['${unset-def}', 'def'],
  ['${v:-def}', 'val'],
  ['${v:+alt}', 'alt'],
  ['${empty:+alt}', ''],
  ['${empty+alt}', 'alt'],
  ['${unset+alt}', ''],
  ['${unset:-${v}}', 'val'],
  ['${unset:-a b}', 'a b'],
  ["'$v'", '$v'],
  ['"$v"', 'val'],
  ['"${v}s"', 'vals'],
  ['\\$v', '$v'],
  ['"\\$v"', '$v'],
  ['"a\\"b"', 'a"b'],
  ['"a\\b"', 'a\\b'],
  ['a\\ b', 'a b'],
  ['$', '$'],
  ['a$', 'a$'],
  ['$1', ''],
  ['${file%.gz}', 'archive.tar'],
  ['${file%%.*}', 'archive'],
  ['${file#*.}', 'tar.gz'],
  ['${file##*.}', 'gz'],
  ['${path/local/opt}', '/usr/opt/bin'],
  ['${path//l/L}', '/usr/LocaL/bin'],
  ['"it\'s"', "it's"],
];

for (const [input, want] of cases) {
  test(`expandWord() expands ${input} to ${JSON.stringify(want)}`, () => {
    assert.equal(expandWord(input, env), want);
  });
}

test('expandWord() with a backtick escape leaves backslashes alone', () => {
  assert.equal(expandWord('C:\\path\\`$v', env, '`'), 'C:\\path\\$v');
});

test('expandWords() splits on unquoted whitespace, also inside expansions', () => {
  assert.deepEqual(expandWords('80/tcp  $v "a b"', env), ['80/tcp', 'val', 'a b']);
  assert.deepEqual(expandWords('$spaced', env), ['a', 'b', 'c']);
  assert.deepEqual(expandWords('"$spaced"', env), ['a b  c']);
  assert.deepEqual(expandWords('$unset x', env), ['x']);
});

test('expandWord() reports ${v:?msg} and ${v?msg} failures', () => {
  assert.throws(() => expandWord('${unset:?must be set}', env), (e: unknown) => e instanceof ExpansionError && e.message === 'unset: must be set');
  assert.throws(() => expandWord('${empty:?}', env), /empty: is not allowed to be empty/);
  assert.equal(expandWord('${empty?x}', env), '');
});

test('expandWord() rejects unterminated quotes and braces', () => {
  assert.throws(() => expandWord("'abc", env), /matching single-quote/);
  assert.throws(() => expandWord('"abc', env), /matching double-quote/);
  assert.throws(() => expandWord('${v', env), /missing '}'/);
});
