import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isExcluded, parseDockerignore } from './dockerignore.js';

function excluded(ignore: string, file: string): boolean {
  return isExcluded(file, parseDockerignore(ignore));
}

const table: Array<[string, string, boolean]> = [
  ['node_modules', 'node_modules', true],
  ['node_modules', 'node_modules/a/b.js', true],
  ['node_modules', 'src/node_modules', false],
  ['/node_modules', 'node_modules/x', true],
  ['node_modules/', 'node_modules/x', true],
  ['*.md', 'README.md', true],
  ['*.md', 'docs/README.md', false],
  ['**/*.md', 'docs/a/README.md', true],
  ['**/*.md', 'README.md', true],
  ['docs/**', 'docs/a/b', true],
  ['docs/**', 'docs', false],
  ['a/**/b', 'a/b', true],
  ['a/**/b', 'a/x/y/b', true],
  ['*/temp*', 'somedir/temporary.txt', true],
  ['*/temp*', 'temp', false],
  ['*/*/temp*', 'a/b/temp.txt', true],
  ['temp?', 'temp1', true],
  ['temp?', 'temp12', false],
  ['file[0-9].txt', 'file3.txt', true],
  ['file[^0-9].txt', 'file3.txt', false],
  ['./build/../dist', 'dist/x', true],
  ['  .git  ', '.git/HEAD', true],
  ['# comment', '# comment', false],
  ['*.log\n!keep.log', 'keep.log', false],
  ['*.log\n!keep.log', 'other.log', true],
  ['!keep.log\n*.log', 'keep.log', true],
  ['*\n!src\nsrc/secret', 'src/app.js', false],
  ['*\n!src\nsrc/secret', 'src/secret', true],
  ['*\n!src', 'Dockerfile', true],
  ['.env', '.env', true],
  ['.env', '.envrc', false],
  ['a\\*b', 'a*b', true],
  ['a\\*b', 'axb', false],
];

for (const [ignore, file, want] of table) {
  test(`isExcluded() with ${JSON.stringify(ignore)}: ${file} is ${want ? 'excluded' : 'kept'}`, () => {
    assert.equal(excluded(ignore, file), want);
  });
}

test('parseDockerignore() trims, drops comments and blanks, and marks exceptions', () => {
  const ps = parseDockerignore('# c\n\n  a/b/  \n! c\n/d\n');
  assert.deepEqual(ps.map((p) => [p.pattern, p.exclusion]), [['a/b', false], ['c', true], ['d', false]]);
});
