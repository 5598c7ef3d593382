import assert from 'node:assert/strict';
import { test } from 'node:test';
import { interpolateString, interpolateTree } from './interpolate.js';

const env: Record<string, string> = { SET: 'value', EMPTY: '', PORT: '8080' };
const lookup = (n: string): string | undefined => env[n];

test('interpolateString() expands every form compose v2 supports', () => {
  const cases: Array<[string, string]> = [
    ['${SET}', 'value'], ['$SET', 'value'], ['a-$SET-b', 'a-value-b'],
    ['${UNSET:-def}', 'def'], ['${EMPTY:-def}', 'def'], ['${EMPTY-def}', ''], ['${UNSET-def}', 'def'],
    ['${SET:+alt}', 'alt'], ['${EMPTY:+alt}', ''], ['${EMPTY+alt}', 'alt'], ['${UNSET+alt}', ''],
    ['$$SET', '$SET'], ['$${SET}', '${SET}'], ['${UNSET:-${PORT}}', '8080'], ['${UNSET}', ''],
    ['${SET:?must}', 'value'], ['no vars', 'no vars'],
  ];
  for (const [input, want] of cases) assert.equal(interpolateString(input, { lookup }), want, input);
});

test('interpolateString() reports required variables with their message', () => {
  assert.throws(() => interpolateString('${UNSET:?set it please}', { lookup }), /required variable UNSET is missing a value: set it please/);
  assert.throws(() => interpolateString('${EMPTY:?}', { lookup }), /required variable EMPTY is missing a value$/);
  assert.equal(interpolateString('${EMPTY?x}', { lookup }), '');
  assert.throws(() => interpolateString('${UNSET?x}', { lookup }), /missing a value: x/);
});

test('interpolateString() warns once per use of an unset variable without a default', () => {
  const warned: string[] = [];
  interpolateString('${NOPE} $NOPE2 ${NOPE3:-x}', { lookup, warnUnset: (n) => warned.push(n) });
  assert.deepEqual(warned, ['NOPE', 'NOPE2']);
});

test('interpolateTree() names the file and key in errors, leaves keys alone', () => {
  const tree = { services: { web: { image: '${IMG:?image is required}', environment: { '$KEY': 'x' } } } };
  assert.throws(() => interpolateTree(tree, { lookup }, 'compose.yaml'),
    { message: 'compose.yaml: error while interpolating services.web.image: required variable IMG is missing a value: image is required' });
  assert.throws(() => interpolateTree({ services: { web: { image: 'a${' } } }, { lookup }, 'c.yml'), /c.yml: invalid interpolation format for services.web.image/);
  assert.deepEqual(interpolateTree({ a: { '$K': ['${SET}', 3, true, null] } }, { lookup }, 'f'), { a: { '$K': ['value', 3, true, null] } });
});

test('interpolateTree() refuses absurdly nested defaults with an error, not a crash', () => {
  const deep = `${'${A:-'.repeat(20000)}x${'}'.repeat(20000)}`;
  assert.throws(() => interpolateTree({ services: { web: { image: deep } } }, { lookup }, 'c.yaml'), /c.yaml: error while interpolating services.web.image: variable defaults nested too deeply/);
});
