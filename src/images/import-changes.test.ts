import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyChanges } from './import-changes.js';

test('applyChanges() keeps exec form CMD and wraps shell form in /bin/sh -c', () => {
  assert.deepEqual(applyChanges({}, ['CMD ["sh"]']).Cmd, ['sh']);
  assert.deepEqual(applyChanges({}, ['CMD echo hi']).Cmd, ['/bin/sh', '-c', 'echo hi']);
});

test('applyChanges() merges ENV in both forms and replaces existing keys', () => {
  const cfg = applyChanges({ Env: ['PATH=/bin', 'A=1'] }, ['ENV A=2 B="two words"', 'ENV C three words']);
  assert.deepEqual(cfg.Env, ['PATH=/bin', 'A=2', 'B=two words', 'C=three words']);
});

test('applyChanges() adds /tcp to EXPOSEd ports and sets labels, user, workdir', () => {
  const cfg = applyChanges({}, ['EXPOSE 80 53/udp', 'LABEL a=b', 'USER nobody', 'WORKDIR /srv']);
  assert.deepEqual(cfg.ExposedPorts, { '80/tcp': {}, '53/udp': {} });
  assert.deepEqual(cfg.Labels, { a: 'b' });
  assert.equal(cfg.User, 'nobody');
  assert.equal(cfg.WorkingDir, '/srv');
});

test('applyChanges() refuses instructions import does not allow, with Docker\'s message', () => {
  assert.throws(() => applyChanges({}, ['RUN true']), /run is not a valid change command/);
});

test('applyChanges() reads HEALTHCHECK with options into the image config form', () => {
  const cfg = applyChanges({}, ['HEALTHCHECK --interval=5s --retries=3 CMD wget -q localhost']);
  assert.deepEqual(cfg.Healthcheck, { Test: ['CMD-SHELL', 'wget -q localhost'], Interval: 5_000_000_000, Retries: 3 });
  assert.deepEqual(applyChanges({}, ['HEALTHCHECK NONE']).Healthcheck, { Test: ['NONE'] });
});
