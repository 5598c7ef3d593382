import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile } from './dockerfile/parser.js';
import { parseRunMount, runCommand } from './run-step.js';

const run = (text: string): ReturnType<typeof runCommand> => {
  const ins = parseDockerfile(`FROM busybox\n${text}`).instructions[1];
  assert.ok(ins?.kind === 'RUN');
  return runCommand(ins, ['/bin/sh', '-c']);
};

test('runCommand() runs shell form through the shell and exec form as is', () => {
  assert.deepEqual(run('RUN echo hi').argv, ['/bin/sh', '-c', 'echo hi']);
  assert.deepEqual(run('RUN ["echo", "hi"]').argv, ['echo', 'hi']);
});

test('runCommand() runs a heredoc that is the whole command as a script, with #! as a file', () => {
  assert.deepEqual(run('RUN <<EOF\necho a\necho b\nEOF').argv, ['/bin/sh', '-c', 'echo a\necho b\n']);
  const py = run('RUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF');
  assert.deepEqual(py.argv, ['/dev/pipes/EOF']);
  assert.equal(py.script?.content, '#!/usr/bin/env python3\nprint(1)\n');
});

test('runCommand() hands heredocs inside a command to the shell', () => {
  assert.deepEqual(run('RUN cat <<A > /a && cat <<B > /b\none\nA\ntwo\nB').argv, ['/bin/sh', '-c', 'cat <<A > /a && cat <<B > /b\none\nA\ntwo\nB']);
});

test('parseRunMount() reads BuildKit mount options with their defaults', () => {
  assert.deepEqual(parseRunMount('type=cache,target=/root/.cache'), { type: 'cache', target: '/root/.cache', id: '/root/.cache', sharing: 'shared', readonly: false, mode: 0o755, uid: 0, gid: 0 });
  assert.deepEqual(parseRunMount('type=cache,id=npm,dst=/c,sharing=locked,uid=1000,mode=0700'), { type: 'cache', target: '/c', id: 'npm', sharing: 'locked', readonly: false, mode: 0o700, uid: 1000, gid: 0 });
  assert.deepEqual(parseRunMount('target=/src,source=app,from=build,rw'), { type: 'bind', target: '/src', source: 'app', from: 'build', readonly: false });
  assert.deepEqual(parseRunMount('type=bind,target=/src'), { type: 'bind', target: '/src', source: '/', from: undefined, readonly: true });
  assert.deepEqual(parseRunMount('type=secret,id=npmrc'), { type: 'secret', target: '/run/secrets/npmrc', id: 'npmrc', required: false, env: undefined });
  assert.deepEqual(parseRunMount('type=tmpfs,target=/t,size=64m'), { type: 'tmpfs', target: '/t', size: '64m' });
});

test('parseRunMount() refuses what BuildKit refuses', () => {
  assert.throws(() => parseRunMount('type=cache'), /mount destination not set/);
  assert.throws(() => parseRunMount('type=volume,target=/x'), /unsupported mount type "volume"/);
  assert.throws(() => parseRunMount('type=cache,target=/x,sharing=nope'), /unrecognized sharing parameter: nope/);
});
