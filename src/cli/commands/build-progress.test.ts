import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BuildProgressView } from './build-progress.js';

const STREAM = [
  'Step 1/3 : FROM busybox\n', ' ---> 1234567890ab\n',
  'Step 2/3 : RUN echo hi\n', ' ---> Using cache\n', ' ---> abcdefabcdef\n',
  'Step 3/3 : RUN echo out\n', ' ---> Running in 0123456789ab\n', 'out\n', 'Removing intermediate container 0123456789ab\n', ' ---> fedcbafedcba\n',
  'Successfully built fedcbafedcba\n', 'Successfully tagged app:latest\n',
];

test('BuildProgressView draws plain BuildKit-style lines from the legacy stream', () => {
  let out = '';
  const v = new BuildProgressView((t) => { out += t; }, false);
  for (const s of STREAM) v.stream(s);
  v.finish();
  assert.match(out, /#1 \[1\/3\] FROM busybox\n#1 DONE \d\.\ds\n/);
  assert.match(out, /#2 \[2\/3\] RUN echo hi\n#2 CACHED\n/);
  assert.match(out, /#3 \[3\/3\] RUN echo out\n#3 \d+\.\d{3} out\n#3 DONE/);
  assert.match(out, /#4 exporting to image\n#4 writing image fedcbafedcba done\n#4 naming to app:latest done\n#4 DONE/);
});

test('BuildProgressView on a terminal redraws one line per step and ends FINISHED', () => {
  let out = '';
  const v = new BuildProgressView((t) => { out += t; }, false, true, 60);
  for (const s of STREAM) v.stream(s);
  v.finish();
  const last = out.slice(out.lastIndexOf('[+] Building'));
  assert.match(last, /^\[\+\] Building \d+\.\ds \(3\/3\) FINISHED\n/);
  assert.match(last, /\x1b\[2K => CACHED \[2\/3\] RUN echo hi +\d+\.\ds\n/);
  assert.match(last, / => => naming to app:latest done\n/);
  assert.doesNotMatch(last, /#\d/);
});

test('BuildProgressView shows the failing step with its last output', () => {
  let out = '';
  const v = new BuildProgressView((t) => { out += t; }, false);
  v.stream('Step 1/2 : FROM busybox\n ---> 1234567890ab\nStep 2/2 : RUN exit 3\n ---> Running in 0123456789ab\nboom\n');
  v.fail("The command '/bin/sh -c exit 3' returned a non-zero code: 3");
  assert.match(out, /#2 ERROR: The command .* 3\n------\n > \[2\/2\] RUN exit 3:\nboom\n------\nERROR: failed to solve: /);
});
