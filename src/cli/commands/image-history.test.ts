import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ellipsis } from './image-history.js';

test('ellipsis() cuts to the width with a trailing "…"', () => {
  assert.equal(ellipsis('abcdef', 6), 'abcdef');
  assert.equal(ellipsis('abcdefg', 6), 'abcde…');
});

test('ellipsis() counts East Asian wide characters as two columns', () => {
  assert.equal(ellipsis('日本語テキスト', 6), '日本…');
});
