import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile } from './dockerfile/parser.js';
import { planBuild } from './stages.js';

const plan = (text: string, args: Record<string, string> = {}, target?: string): ReturnType<typeof planBuild> =>
  planBuild(parseDockerfile(text), new Map(Object.entries(args)), target);

test('planBuild() resolves FROM with ARGs declared before it, --build-arg winning over defaults', () => {
  const text = 'ARG BASE=busybox\nARG TAG=latest\nFROM ${BASE}:${TAG}\n';
  assert.equal(plan(text).stages[0]?.base, 'busybox:latest');
  assert.equal(plan(text, { TAG: '1.36' }).stages[0]?.base, 'busybox:1.36');
  assert.deepEqual([...plan(text).globalArgs], [['BASE', 'busybox'], ['TAG', 'latest']]);
});

test('planBuild() builds only the stages the target needs, dependencies first', () => {
  const text = [
    'FROM busybox AS a', 'RUN a',
    'FROM busybox AS b', 'RUN b',
    'FROM a AS c', 'COPY --from=b /x /x',
    'FROM busybox AS unused',
    'FROM busybox', 'COPY --from=c /x /x', 'RUN --mount=type=bind,from=0,target=/m true',
  ].join('\n');
  const p = plan(text);
  assert.deepEqual(p.order, [0, 1, 2, 4]);
  assert.equal(p.target, 4);
  assert.deepEqual(p.stages[2]?.deps, [0, 1]);
  assert.equal(p.stages[2]?.baseStage, 0);
  assert.deepEqual(plan(text, {}, 'b').order, [1]);
  assert.deepEqual(plan(text, {}, 'C').order, [0, 1, 2]);
});

test('planBuild() refuses an unknown target, a forward --from index and duplicate stage names', () => {
  assert.throws(() => plan('FROM busybox\n', {}, 'nope'), /failed to reach build target nope in Dockerfile/);
  assert.throws(() => plan('FROM busybox\nCOPY --from=1 /a /b\nFROM busybox\n'), /refers to current or later build stage/);
  assert.throws(() => plan('FROM busybox AS x\nFROM busybox AS x\n'), /duplicate stage name "x"/);
});

test('planBuild() wants a FROM before other instructions, but allows ARG', () => {
  assert.throws(() => plan('RUN echo\nFROM busybox\n'), /dockerfile parse error on line 1: no build stage in current context/);
  assert.throws(() => plan('ARG X\n'), /no build stage in current context/);
});
