import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Instruction } from './ast.js';
import { flagValue } from './ast.js';
import { parseDockerfile } from './parser.js';

function only(text: string, index = 0): Instruction {
  const ins = parseDockerfile(text).instructions[index];
  assert.ok(ins !== undefined);
  return ins;
}

function parseError(text: string, message: string): void {
  assert.throws(() => parseDockerfile(text), (e: unknown) => {
    assert.ok(e instanceof Error);
    assert.equal(e.message, message);
    return true;
  });
}

test('parseDockerfile() reads instructions case-insensitively with their line numbers', () => {
  const df = parseDockerfile('# comment\nfrom busybox\n\nRun echo hi\n');
  assert.deepEqual(df.instructions.map((i) => [i.kind, i.line]), [['FROM', 2], ['RUN', 4]]);
});

test('parseDockerfile() names an unknown instruction and its line like Docker', () => {
  parseError('FROM busybox\n\nFORM x\n', 'dockerfile parse error on line 3: unknown instruction: FORM');
  parseError('FROM busybox\nfoo bar\n', 'dockerfile parse error on line 2: unknown instruction: FOO');
});

test('parseDockerfile() refuses an empty file', () => {
  parseError('# only a comment\n\n', 'dockerfile parse error: file with no instructions');
});

test('parseDockerfile() reads parser directives only at the top', () => {
  const df = parseDockerfile('# syntax=docker/dockerfile:1\n# escape=`\n# check=skip=all\nFROM busybox\n');
  assert.deepEqual(df.directives, { syntax: 'docker/dockerfile:1', escape: '`', check: 'skip=all' });
  const late = parseDockerfile('FROM busybox\n# escape=`\nRUN a \\\n b\n');
  assert.equal(late.directives.escape, '\\');
  const afterComment = parseDockerfile('# hello\n# escape=`\nFROM busybox\n');
  assert.equal(afterComment.directives.escape, '\\');
});

test('parseDockerfile() refuses a bad or repeated escape directive', () => {
  parseError('# escape=x\nFROM busybox\n', "dockerfile parse error: invalid escape token 'x' does not match ` or \\");
  parseError('# escape=`\n# escape=\\\nFROM busybox\n', 'dockerfile parse error on line 2: only one escape parser directive can be used');
});

test('parseDockerfile() joins continuation lines, dropping comments and blank lines inside them', () => {
  const ins = only('FROM busybox\nRUN echo a \\\n  # a comment\n\n  && echo b \\  \n  && echo c\nCMD x\n', 1);
  assert.equal(ins.kind, 'RUN');
  assert.deepEqual(ins.kind === 'RUN' ? ins.cmd : undefined, { form: 'shell', command: 'echo a   && echo b   && echo c' });
  assert.equal(ins.line, 2);
  assert.equal(parseDockerfile('FROM busybox\nRUN echo a \\\n  # a comment\n\n  && echo b \\  \n  && echo c\nCMD x\n').instructions[2]?.line, 7);
});

test('parseDockerfile() uses the backtick as line continuation with escape=`', () => {
  const ins = only('# escape=`\nFROM busybox\nRUN dir C:\\ `\n  /w\n', 1);
  assert.deepEqual(ins.kind === 'RUN' ? ins.cmd : undefined, { form: 'shell', command: 'dir C:\\   /w' });
});

test('parseDockerfile() tells exec form from shell form', () => {
  const df = parseDockerfile('FROM busybox\nCMD ["sh", "-c", "echo hi"]\nENTRYPOINT echo hi\nRUN [not json\n');
  assert.deepEqual(df.instructions.slice(1).map((i) => ('cmd' in i ? i.cmd : undefined)), [
    { form: 'exec', args: ['sh', '-c', 'echo hi'] },
    { form: 'shell', command: 'echo hi' },
    { form: 'shell', command: '[not json' },
  ]);
});

test('parseDockerfile() reads heredocs, several per instruction, with <<- and quoted delimiters', () => {
  const df = parseDockerfile([
    'FROM busybox',
    'RUN <<EOF',
    'echo $HOME',
    'EOF',
    'COPY <<-"A" <<B /dest/',
    '\t\tindented $x',
    '\tA',
    'plain',
    'B',
    'CMD ["x"]',
  ].join('\n'));
  const run = df.instructions[1];
  assert.equal(run?.kind, 'RUN');
  if (run?.kind === 'RUN') {
    assert.deepEqual(run.heredocs, [{ name: 'EOF', content: 'echo $HOME\n', expand: true, chomp: false }]);
    assert.deepEqual(run.cmd, { form: 'shell', command: '<<EOF' });
  }
  const copy = df.instructions[2];
  assert.equal(copy?.kind, 'COPY');
  if (copy?.kind === 'COPY') {
    assert.deepEqual(copy.heredocs, [
      { name: 'A', content: 'indented $x\n', expand: false, chomp: true },
      { name: 'B', content: 'plain\n', expand: true, chomp: false },
    ]);
    assert.deepEqual(copy.sources, ['<<-"A"', '<<B']);
    assert.equal(copy.dest, '/dest/');
  }
  assert.equal(df.instructions[3]?.line, 10);
});

test('parseDockerfile() reports an unterminated heredoc', () => {
  parseError('FROM busybox\nRUN <<EOF\necho\n', 'dockerfile parse error on line 2: unterminated heredoc EOF');
});

test('parseDockerfile() reads flags of COPY, ADD, RUN and FROM', () => {
  const df = parseDockerfile('FROM --platform=linux/amd64 busybox AS Build\nRUN --mount=type=cache,target=/root/.cache --network=none echo\nCOPY --from=build --chown=1:2 --chmod=644 --link a b /c/\n');
  const from = df.instructions[0];
  assert.deepEqual(from?.kind === 'FROM' ? [from.image, from.stageName, from.platform] : [], ['busybox', 'build', 'linux/amd64']);
  const run = df.instructions[1];
  assert.equal(run !== undefined && flagValue(run, 'mount'), 'type=cache,target=/root/.cache');
  assert.equal(run !== undefined && flagValue(run, 'network'), 'none');
  const copy = df.instructions[2];
  assert.ok(copy?.kind === 'COPY');
  assert.deepEqual(copy.flags, [
    { name: 'from', value: 'build' }, { name: 'chown', value: '1:2' }, { name: 'chmod', value: '644' }, { name: 'link', value: undefined },
  ]);
  assert.deepEqual(copy.sources, ['a', 'b']);
  assert.equal(copy.dest, '/c/');
});

test('parseDockerfile() refuses flags an instruction does not take', () => {
  parseError('FROM busybox\nCOPY --form=x a b\n', 'dockerfile parse error on line 2: unknown flag: form');
  parseError('FROM busybox\nWORKDIR --x /a\n', 'dockerfile parse error on line 2: unknown flag: x');
});

test('parseDockerfile() checks argument counts with Docker\'s messages', () => {
  parseError('FROM a b\n', 'dockerfile parse error on line 1: FROM requires either one or three arguments');
  parseError('FROM busybox AS 1x\n', 'dockerfile parse error on line 1: invalid name for build stage: "1x", name can\'t start with a number or contain symbols');
  parseError('FROM busybox\nCOPY onlyone\n', 'dockerfile parse error on line 2: COPY requires at least two arguments, but only one was provided. Destination could not be determined.');
  parseError('FROM busybox\nRUN\n', 'dockerfile parse error on line 2: RUN requires at least one argument');
  parseError('FROM busybox\nENV x\n', 'dockerfile parse error on line 2: ENV must have two arguments');
  parseError('FROM busybox\nENV a=b c\n', 'dockerfile parse error on line 2: Syntax error - can\'t find = in "c". Must be of the form: name=value');
  parseError('FROM busybox\nSHELL /bin/bash -c\n', 'dockerfile parse error on line 2: SHELL requires the arguments to be in JSON form');
  parseError('FROM busybox\nWORKDIR\n', 'dockerfile parse error on line 2: WORKDIR requires exactly one argument');
  parseError('FROM busybox\nHEALTHCHECK FOO x\n', 'dockerfile parse error on line 2: Unknown type "FOO" in HEALTHCHECK (try CMD)');
});

test('parseDockerfile() reads ENV and LABEL pairs keeping quotes for expansion, and the old one-pair form', () => {
  const df = parseDockerfile('FROM busybox\nENV A=1 B="two words" C=a\\ b\nENV OLD some value here\nLABEL "com.x"="y" z=\n');
  const env = df.instructions[1];
  assert.deepEqual(env?.kind === 'ENV' ? env.pairs : [], [{ key: 'A', value: '1' }, { key: 'B', value: '"two words"' }, { key: 'C', value: 'a\\ b' }]);
  const old = df.instructions[2];
  assert.deepEqual(old?.kind === 'ENV' ? old.pairs : [], [{ key: 'OLD', value: 'some value here' }]);
  const label = df.instructions[3];
  assert.deepEqual(label?.kind === 'LABEL' ? label.pairs : [], [{ key: '"com.x"', value: '"y"' }, { key: 'z', value: '' }]);
});

test('parseDockerfile() reads ARG with and without defaults, also before FROM', () => {
  const df = parseDockerfile('ARG BASE=busybox\nFROM $BASE\nARG A B=2\n');
  assert.deepEqual(df.instructions[0]?.kind === 'ARG' ? df.instructions[0].args : [], [{ name: 'BASE', defaultValue: 'busybox' }]);
  assert.deepEqual(df.instructions[2]?.kind === 'ARG' ? df.instructions[2].args : [], [{ name: 'A' }, { name: 'B', defaultValue: '2' }]);
});

test('parseDockerfile() reads HEALTHCHECK with options, CMD and CMD-SHELL, and NONE', () => {
  const df = parseDockerfile('FROM busybox\nHEALTHCHECK --interval=5s --retries=3 CMD wget -q localhost\nHEALTHCHECK CMD ["true"]\nHEALTHCHECK NONE\n');
  assert.deepEqual(df.instructions[1]?.kind === 'HEALTHCHECK' ? df.instructions[1].healthcheck : undefined, { test: ['CMD-SHELL', 'wget -q localhost'], interval: '5s', retries: '3' });
  assert.deepEqual(df.instructions[2]?.kind === 'HEALTHCHECK' ? df.instructions[2].healthcheck : undefined, { test: ['CMD', 'true'] });
  assert.equal(df.instructions[3]?.kind === 'HEALTHCHECK' ? df.instructions[3].healthcheck : undefined, 'none');
});

test('parseDockerfile() parses the ONBUILD trigger and refuses chaining', () => {
  const ins = only('FROM busybox\nONBUILD COPY --chown=1 . /app\n', 1);
  assert.ok(ins.kind === 'ONBUILD');
  assert.equal(ins.trigger.kind, 'COPY');
  assert.equal(ins.expression, 'COPY --chown=1 . /app');
  parseError('FROM busybox\nONBUILD ONBUILD RUN x\n', 'dockerfile parse error on line 2: Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed');
  parseError('FROM busybox\nONBUILD FROM x\n', 'dockerfile parse error on line 2: FROM isn\'t allowed as an ONBUILD trigger');
});

test('parseDockerfile() reads EXPOSE, VOLUME (JSON or words), USER, WORKDIR, STOPSIGNAL, SHELL', () => {
  const df = parseDockerfile('FROM busybox\nEXPOSE 80 443/tcp\nVOLUME ["/a", "/b"]\nVOLUME /c /d\nUSER app:app\nWORKDIR /srv/app\nSTOPSIGNAL SIGTERM\nSHELL ["/bin/sh", "-ec"]\n');
  const [, expose, v1, v2, user, wd, sig, shell] = df.instructions;
  assert.deepEqual(expose?.kind === 'EXPOSE' ? expose.values : [], ['80', '443/tcp']);
  assert.deepEqual(v1?.kind === 'VOLUME' ? v1.values : [], ['/a', '/b']);
  assert.deepEqual(v2?.kind === 'VOLUME' ? v2.values : [], ['/c', '/d']);
  assert.equal(user?.kind === 'USER' ? user.value : '', 'app:app');
  assert.equal(wd?.kind === 'WORKDIR' ? wd.value : '', '/srv/app');
  assert.equal(sig?.kind === 'STOPSIGNAL' ? sig.value : '', 'SIGTERM');
  assert.deepEqual(shell?.kind === 'SHELL' ? shell.shell : [], ['/bin/sh', '-ec']);
});

test('parseDockerfile() handles CRLF line endings and a BOM', () => {
  const df = parseDockerfile('\uFEFFFROM busybox\r\nRUN echo hi \\\r\n  there\r\n');
  assert.deepEqual(df.instructions[1]?.kind === 'RUN' ? df.instructions[1].cmd : undefined, { form: 'shell', command: 'echo hi   there' });
});

test('parseDockerfile() keeps COPY sources of a JSON array unsplit', () => {
  const ins = only('FROM busybox\nCOPY ["a file", "dest dir/"]\n', 1);
  assert.ok(ins.kind === 'COPY');
  assert.deepEqual([ins.sources, ins.dest, ins.json], [['a file'], 'dest dir/', true]);
});
