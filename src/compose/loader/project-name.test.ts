import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkProjectName, normalizeProjectName } from './project-name.js';

test('normalizeProjectName() lowercases and drops what compose v2 drops', () => {
  const cases: Array<[string, string]> = [['My App', 'myapp'], ['my-first-compose-app', 'my-first-compose-app'], ['_x.Y', 'xy'], ['--a_b', 'a_b'], ['Ünïcode9', 'ncode9']];
  for (const [dir, want] of cases) assert.equal(normalizeProjectName(dir), want, dir);
});

test('checkProjectName() refuses an explicit name v2 refuses', () => {
  assert.equal(checkProjectName('app_1-x'), 'app_1-x');
  assert.throws(() => checkProjectName('App'), /invalid project name "App": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number/);
  assert.throws(() => checkProjectName('_app'), /invalid project name/);
  assert.throws(() => checkProjectName(''), /project name must not be empty/);
});
