import assert from 'node:assert/strict';
import { test } from 'node:test';
import { progressBar } from './progress-bar.js';

test('progressBar() draws Docker\'s bar with decimal sizes', () => {
  assert.equal(progressBar(1_000_000, 2_000_000), `[${'='.repeat(25)}>${' '.repeat(25)}]      1MB/2MB`);
  assert.equal(progressBar(2_140_160, 2_140_160), `[${'='.repeat(50)}>] ${'2.14MB'.padStart(8)}/2.14MB`);
  assert.equal(progressBar(0, 0), '');
  assert.equal(progressBar(500, 1000, 80), '    500B/1kB');
});
