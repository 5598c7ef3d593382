import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile } from './dockerfile/parser.js';
import { Expander } from './expander.js';
import { applyMetadata, exposedPorts, isMetadata } from './metadata-step.js';
import type { ContainerDefaults } from '../images/image-config.js';

function apply(base: ContainerDefaults, line: string, env: Record<string, string> = {}, cmdSet = false): ContainerDefaults {
  const ins = parseDockerfile(`FROM busybox\n${line}`).instructions[1];
  assert.ok(ins !== undefined && isMetadata(ins));
  return applyMetadata(base, ins, new Expander(new Map(Object.entries(env)), '\\', 2), cmdSet);
}

test('applyMetadata() ENV expands every value with the values from before the instruction', () => {
  const c = apply({ Env: ['A=old'] }, 'ENV A=new B=$A C="${A} x"', { A: 'old' });
  assert.deepEqual(c.Env, ['A=new', 'B=old', 'C=old x']);
});

test('applyMetadata() WORKDIR resolves relative paths against the previous one', () => {
  assert.equal(apply({ WorkingDir: '/srv' }, 'WORKDIR app/../web').WorkingDir, '/srv/web');
  assert.equal(apply({}, 'WORKDIR $HOME/x', { HOME: '/root' }).WorkingDir, '/root/x');
});

test('applyMetadata() CMD and ENTRYPOINT use the SHELL for shell form; ENTRYPOINT resets an inherited CMD', () => {
  assert.deepEqual(apply({ Shell: ['/bin/bash', '-c'] }, 'CMD echo hi').Cmd, ['/bin/bash', '-c', 'echo hi']);
  const inherited = apply({ Cmd: ['sh'] }, 'ENTRYPOINT ["top"]');
  assert.deepEqual([inherited.Entrypoint, inherited.Cmd], [['top'], null]);
  const own = apply({ Cmd: ['-b'] }, 'ENTRYPOINT ["top"]', {}, true);
  assert.deepEqual(own.Cmd, ['-b']);
});

test('applyMetadata() EXPOSE adds /tcp, expands ranges and refuses bad ports', () => {
  assert.deepEqual(apply({}, 'EXPOSE 80 53/udp $P', { P: '8000-8001' }).ExposedPorts, { '80/tcp': {}, '53/udp': {}, '8000/tcp': {}, '8001/tcp': {} });
  assert.throws(() => exposedPorts('http'), /Invalid containerPort: http/);
  assert.throws(() => exposedPorts('80/xyz'), /Invalid proto: xyz/);
});

test('applyMetadata() HEALTHCHECK durations in nanoseconds, NONE, ONBUILD keyword upper-cased, LABEL and USER expanded', () => {
  assert.deepEqual(apply({}, 'HEALTHCHECK --interval=1m30s --start-period=5s CMD ["true"]').Healthcheck, { Test: ['CMD', 'true'], Interval: 90e9, StartPeriod: 5e9 });
  assert.deepEqual(apply({}, 'HEALTHCHECK NONE').Healthcheck, { Test: ['NONE'] });
  assert.throws(() => apply({}, 'HEALTHCHECK --interval=1x CMD true'), /time: unknown unit "x" in duration "1x"/);
  assert.deepEqual(apply({}, 'ONBUILD run echo hi').OnBuild, ['RUN echo hi']);
  assert.deepEqual(apply({}, 'LABEL "a b"=$V', { V: 'v' }).Labels, { 'a b': 'v' });
  assert.equal(apply({}, 'USER ${U:-nobody}').User, 'nobody');
});
