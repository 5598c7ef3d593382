import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { filterPsOutput, psArguments } from './top.js';

const PS_EF = `UID          PID    PPID  C STIME TTY          TIME CMD
root           1       0  0 10:00 ?        00:00:01 /sbin/init
root        4242    4200  0 10:01 ?        00:00:00 sleep 1000
root        4250    4242  0 10:01 pts/0    00:00:00 sh -c echo a   b
`;

describe('top', () => {
  it('keeps only the container\'s processes, with the command and its spaces whole', () => {
    const r = filterPsOutput(PS_EF, [4242, 4250]);
    assert.deepEqual(r.titles, ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD']);
    assert.deepEqual(r.processes, [
      ['root', '4242', '4200', '0', '10:01', '?', '00:00:00', 'sleep 1000'],
      ['root', '4250', '4242', '0', '10:01', 'pts/0', '00:00:00', 'sh -c echo a   b'],
    ]);
  });

  it('finds the PID column wherever ps puts it', () => {
    const r = filterPsOutput('  PID USER     COMMAND\n   7 root     top -b\n    8 root x\n', [7]);
    assert.deepEqual(r.processes, [['7', 'root', 'top -b']]);
  });

  it('refuses ps output without a PID column, as Docker does', () => {
    assert.throws(() => filterPsOutput('USER COMMAND\nroot sh\n', [1]), /Couldn't find PID field in ps output/);
  });

  it('uses -ef unless told otherwise', () => {
    assert.deepEqual(psArguments(undefined), ['-ef']);
    assert.deepEqual(psArguments('  '), ['-ef']);
    assert.deepEqual(psArguments('aux'), ['aux']);
    assert.deepEqual(psArguments('-o pid,comm'), ['-o', 'pid,comm']);
  });
});
