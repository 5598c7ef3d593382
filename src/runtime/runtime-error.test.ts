import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanRuntimeMessage } from './runtime-error.js';

test('cleanRuntimeMessage() takes the msg of runc\'s logrus line and unescapes it', () => {
  const raw = 'time="2026-11-24T13:55:22Z" level=error msg="runc create failed: unable to start container process: exec: \\"nosuch\\": executable file not found in $PATH"\n';
  assert.equal(cleanRuntimeMessage(raw), 'runc create failed: unable to start container process: exec: "nosuch": executable file not found in $PATH');
});

test('cleanRuntimeMessage() keeps crun\'s plain text', () => {
  assert.equal(cleanRuntimeMessage('cgroups in hybrid mode not supported, drop all controllers from cgroupv2\n'), 'cgroups in hybrid mode not supported, drop all controllers from cgroupv2');
});
