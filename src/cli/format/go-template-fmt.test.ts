import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goQuote, goSprint, goSprintf, goSprintln } from './go-template-fmt.js';

test('goSprintf() pads to a width, left-justifies with - and zero-pads numbers after the sign', () => {
  assert.equal(goSprintf('[%5s][%-5s][%5d][%-5d][%05d]', ['ab', 'ab', -42, 7, -42]), '[   ab][ab   ][  -42][7    ][-0042]');
});

test('goSprintf() formats integers in other bases', () => {
  assert.equal(goSprintf('%x %X %#x %o %O %b %c %U %q', [255, 255, 255, 8, 8, 5, 65, 0x1f600, 65]), "ff FF 0xff 10 0o10 101 A U+1F600 'A'");
  assert.equal(goSprintf('%+d % d %.3d', [5, 5, 7]), '+5  5 007');
});

test('goSprintf() formats floats with %f, %e, %g and precision', () => {
  assert.equal(goSprintf('%f|%.2f|%8.3f|%e|%.1E|%g|%g|%v', [1.5, 3.14159, -2.5, 1234.5678, 0.000123, 100000, 1e-5, 2.5]),
    '1.500000|3.14|  -2.500|1.234568e+03|1.2E-04|100000|1e-05|2.5');
  assert.equal(goSprintf('%v %v %v', [1e6 + 0.5, 0.0001, 0.00001]), '1.0000005e+06 0.0001 1e-05');
});

test('goSprintf() formats strings with %s precision, %q and %x', () => {
  assert.equal(goSprintf('%.3s|%q|%#q|%x|% x|%X', ['abcdef', 'a"b\n', 'ab', 'hi', 'hi', 'hi']), 'abc|"a\\"b\\n"|`ab`|6869|68 69|6869');
});

test('goSprintf() applies the verb to each element of arrays and maps', () => {
  assert.equal(goSprintf('%d %q %v', [[1, 2], ['a', 'b'], { b: 2, a: [null] }]), '[1 2] ["a" "b"] map[a:[<nil>] b:2]');
});

test('goSprintf() writes Go-style errors for bad verbs, missing and extra arguments', () => {
  assert.equal(goSprintf('%d|%s|%t|%s', ['x', 5, 'y', null]), '%!d(string=x)|%!s(int=5)|%!t(string=y)|%!s(<nil>)');
  assert.equal(goSprintf('%s %s', ['a']), 'a %!s(MISSING)');
  assert.equal(goSprintf('%s', ['a', 1, 'b']), 'a%!(EXTRA int=1, string=b)');
  assert.equal(goSprintf('100%', []), '100%!(NOVERB)');
});

test('goSprintf() supports %T, %#v, * widths and explicit argument indexes', () => {
  assert.equal(goSprintf('%T %T %T %T', ['s', 1, 1.5, { a: 1 }]), 'string int float64 map[string]interface {}');
  assert.equal(goSprintf('%#v %#v', [{ a: 'x' }, [1, null]]), 'map[string]interface {}{"a":"x"} []interface {}{1, interface {}(nil)}');
  assert.equal(goSprintf('[%*d][%.*f][%[2]s %[1]s]', [4, 7, 1, 2.25, 'a', 'b']), '[   7][2.2][%!s(int=7) %!s(int=4)]');
});

test('goSprint() adds spaces only between operands that are not strings', () => {
  assert.equal(goSprint([1, 2, 'a', 'b', 3, null]), '1 2ab3 <nil>');
  assert.equal(goSprintln(['a', 1]), 'a 1\n');
});

test('goQuote() escapes control characters and keeps printable Unicode', () => {
  assert.equal(goQuote('é\t\x01\u200b', false), '"é\\t\\x01\\u200b"');
  assert.equal(goQuote('é', true), '"\\u00e9"');
});
