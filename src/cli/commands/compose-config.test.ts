import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bundle/main.js');

function berth(cwd: string, args: readonly string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', HOME: os.tmpdir(), ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function projectDir(files: Record<string, string>): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'cfg-')), 'demo');
  mkdirSync(dir);
  for (const [n, t] of Object.entries(files)) writeFileSync(path.join(dir, n), t);
  return dir;
}

const FILE = 'services:\n  web:\n    image: "nginx:${TAG:-1.25}"\n    profiles: [front]\n  db:\n    image: postgres\n    volumes: [data:/var/lib/postgresql/data]\nvolumes:\n  data:\n';

test('berth compose config prints the canonical YAML and JSON without a daemon', () => {
  const dir = projectDir({ 'compose.yaml': FILE });
  const yaml = berth(dir, ['compose', 'config']);
  assert.equal(yaml.status, 0, yaml.stderr);
  assert.match(yaml.stdout, /^name: demo\nservices:\n  db:\n    image: postgres\n/);
  assert.match(yaml.stdout, /\nvolumes:\n  data:\n    name: demo_data\n$/);
  const json = berth(dir, ['compose', '--profile', 'front', 'config', '--format', 'json']);
  assert.equal(json.status, 0, json.stderr);
  const parsed = JSON.parse(json.stdout) as { services: Record<string, { image: string; command: null }> };
  assert.equal(parsed.services['web']?.image, 'nginx:1.25');
  assert.equal(parsed.services['web']?.command, null);
});

test('berth compose config --services, --volumes, --profiles, --hash and -q', () => {
  const dir = projectDir({ 'compose.yaml': FILE });
  assert.equal(berth(dir, ['compose', 'config', '--services']).stdout, 'db\n');
  assert.equal(berth(dir, ['compose', '--profile', '*', 'config', '--services']).stdout, 'db\nweb\n');
  assert.equal(berth(dir, ['compose', 'config', '--volumes']).stdout, 'data\n');
  assert.equal(berth(dir, ['compose', 'config', '--profiles']).stdout, 'front\n');
  assert.match(berth(dir, ['compose', 'config', '--hash', 'db']).stdout, /^db [0-9a-f]{64}\n$/);
  const quiet = berth(dir, ['compose', 'config', '-q']);
  assert.deepEqual([quiet.status, quiet.stdout], [0, '']);
});

test('berth compose -f, -p and --env-file reach the loader; errors exit 1 with v2 text', () => {
  const dir = projectDir({ 'other.yml': FILE, 'ci.env': 'TAG=2\n' });
  const r = berth(dir, ['compose', '-f', 'other.yml', '-p', 'ci', '--env-file', 'ci.env', '--profile', 'front', 'config', '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const parsed = JSON.parse(r.stdout) as { name: string; services: Record<string, { image: string }> };
  assert.equal(parsed.name, 'ci');
  assert.equal(parsed.services['web']?.image, 'nginx:2');
  const bad = berth(dir, ['compose', '-f', 'other.yml', '-p', 'CI', 'config']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /invalid project name "CI"/);
  const none = berth(dir, ['compose', 'config']);
  assert.equal(none.status, 1);
  assert.equal(none.stderr, 'no configuration file provided: not found\n');
  assert.match(berth(dir, ['compose', 'version']).stdout, /^berth compose version v\d+\.\d+\.\d+\n$/);
});

test('berth compose --help lists the subcommands; an unknown one exits 1', () => {
  const dir = projectDir({});
  const help = berth(dir, ['compose', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /\n  config +Parse, resolve and render compose file in canonical format\n/);
  assert.match(help.stdout, /-f, --file stringArray/);
  const bad = berth(dir, ['compose', 'nope']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^unknown berth command: "compose nope"/);
});
