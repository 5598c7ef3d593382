import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { naturalLess, pruneWarning } from './system-prune.js';

describe('system prune', () => {
  it('pruneWarning() lists what goes, and the filters when there are some', () => {
    assert.equal(pruneWarning(false, false, []), 'WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n'
      + '  - all dangling images\n  - unused build cache\n\nAre you sure you want to continue?');
    assert.equal(pruneWarning(true, true, ['until=10m', 'label=a']), 'WARNING! This will remove:\n  - all stopped containers\n'
      + '  - all networks not used by at least one container\n  - all anonymous volumes not used by at least one container\n'
      + '  - all images without at least one container associated to them\n  - all build cache\n\n'
      + '  Items to be pruned will be filtered with:\n  - label=a\n  - until=10m\n\nAre you sure you want to continue?');
  });
  it('naturalLess() orders digit runs by value and bytes as bytes', () => {
    assert.deepEqual(['label=a10', 'label=a9', 'label!=b', 'label=a=1'].sort(naturalLess), ['label!=b', 'label=a9', 'label=a10', 'label=a=1']);
  });
});
