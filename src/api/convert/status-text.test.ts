import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerStatusText } from './status-text.js';
import type { ContainerStatusInput } from './status-text.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const NOW = new Date('2024-05-01T12:00:00Z');
const ago = (ms: number): Date => new Date(NOW.getTime() - ms);
const base: ContainerStatusInput = {
  status: 'created',
  running: false,
  paused: false,
  restarting: false,
  exitCode: 0,
  startedAt: null,
  finishedAt: null,
};

test('containerStatusText() gives "Created" for a container that never started', () => {
  assert.equal(containerStatusText(base, NOW), 'Created');
  assert.equal(
    containerStatusText(
      { ...base, startedAt: '0001-01-01T00:00:00Z', finishedAt: '0001-01-01T00:00:00Z' },
      NOW,
    ),
    'Created',
  );
});

test('containerStatusText() gives "Up <duration>" for a running container', () => {
  const running = { ...base, status: 'running', running: true } as const;
  assert.equal(containerStatusText({ ...running, startedAt: ago(3 * SECOND) }, NOW), 'Up 3 seconds');
  assert.equal(containerStatusText({ ...running, startedAt: NOW }, NOW), 'Up Less than a second');
  assert.equal(
    containerStatusText({ ...running, startedAt: ago(2 * HOUR).toISOString() }, NOW),
    'Up 2 hours',
  );
});

test('containerStatusText() adds "(Paused)" and the health status', () => {
  const running = { ...base, status: 'running', running: true, startedAt: ago(2 * MINUTE) } as const;
  assert.equal(
    containerStatusText({ ...running, status: 'paused', paused: true }, NOW),
    'Up 2 minutes (Paused)',
  );
  assert.equal(containerStatusText({ ...running, health: 'starting' }, NOW), 'Up 2 minutes (health: starting)');
  assert.equal(containerStatusText({ ...running, health: 'healthy' }, NOW), 'Up 2 minutes (healthy)');
  assert.equal(containerStatusText({ ...running, health: 'unhealthy' }, NOW), 'Up 2 minutes (unhealthy)');
});

test('containerStatusText() gives "Restarting (<code>) <duration> ago" since the last exit', () => {
  const state: ContainerStatusInput = {
    ...base,
    status: 'restarting',
    running: true,
    restarting: true,
    exitCode: 1,
    startedAt: ago(MINUTE),
    finishedAt: ago(2 * SECOND),
  };
  assert.equal(containerStatusText(state, NOW), 'Restarting (1) 2 seconds ago');
});

test('containerStatusText() gives "Exited (<code>) <duration> ago" for a stopped container', () => {
  const exited: ContainerStatusInput = { ...base, status: 'exited', startedAt: ago(HOUR) };
  assert.equal(containerStatusText({ ...exited, finishedAt: ago(5 * SECOND) }, NOW), 'Exited (0) 5 seconds ago');
  assert.equal(
    containerStatusText({ ...exited, exitCode: 137, finishedAt: ago(90 * MINUTE) }, NOW),
    'Exited (137) 2 hours ago',
  );
  assert.equal(containerStatusText({ ...exited, finishedAt: NOW }, NOW), 'Exited (0) Less than a second ago');
  // Started but never finished, and not running: Docker prints nothing.
  assert.equal(containerStatusText(exited, NOW), '');
});

test('containerStatusText() gives "Dead" and "Removal In Progress"', () => {
  const stopped = { ...base, startedAt: ago(HOUR), finishedAt: ago(MINUTE) };
  assert.equal(containerStatusText({ ...stopped, status: 'dead' }, NOW), 'Dead');
  assert.equal(containerStatusText({ ...stopped, status: 'removing' }, NOW), 'Removal In Progress');
});
