import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listCommand } from './container-json.js';

test('listCommand() puts arguments holding a space in single quotes, as Docker\'s container list does', () => {
  assert.equal(listCommand('sh', ['-c', 'echo hi; exit 3']), "sh -c 'echo hi; exit 3'");
  assert.equal(listCommand('sleep', ['300']), 'sleep 300');
  assert.equal(listCommand('true', []), 'true');
});
