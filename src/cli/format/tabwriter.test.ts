import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DOCKER_TABLE_OPTIONS, TabWriter, formatTable } from './tabwriter.js';
import type { TabWriterOptions } from './tabwriter.js';

const sp = (n: number): string => ' '.repeat(n);
/** Small settings that make column blocks easy to see. */
const TIGHT: TabWriterOptions = { minWidth: 0, tabWidth: 1, padding: 1, padChar: '.' };

test('formatTable() pads columns to the widest cell plus 3, like docker ps', () => {
  const input = 'CONTAINER ID\tIMAGE\tSTATUS\nabc\tbusybox\tUp 3 seconds\n';
  assert.equal(
    formatTable(input),
    `CONTAINER ID${sp(3)}IMAGE${sp(5)}STATUS\n` + `abc${sp(12)}busybox${sp(3)}Up 3 seconds\n`,
  );
});

test('formatTable() pads every column to at least 10 characters', () => {
  assert.equal(formatTable('a\tb\tc\n'), `a${sp(9)}b${sp(9)}c\n`);
});

test('formatTable() never pads the trailing cell of a line', () => {
  assert.equal(formatTable('a\tlast\nb\tlonger last cell\n'), `a${sp(9)}last\nb${sp(9)}longer last cell\n`);
});

test('formatTable() pads a cell followed by a final tab, since it is tab-terminated', () => {
  assert.equal(formatTable('a\tb\t\n'), `a${sp(9)}b${sp(9)}\n`);
});

test('formatTable() keeps column blocks apart when a line has fewer cells', () => {
  const input = 'aaaa\tbbb\td\n' + 'aa\tb\tdd\n' + 'a\t\n' + 'aa\tcccc\teee\n';
  assert.equal(
    formatTable(input, TIGHT),
    'aaaa.bbb.d\n' + 'aa...b...dd\n' + 'a....\n' + 'aa...cccc.eee\n',
  );
});

test('formatTable() restarts columns after a line without tabs', () => {
  const input = 'long-name-here\tx\nheader only\ny\tz\n';
  assert.equal(formatTable(input), `long-name-here${sp(3)}x\nheader only\ny${sp(9)}z\n`);
});

test('formatTable() treats a form feed as a newline that ends all column blocks', () => {
  const input = 'aaaaaaaaaaaa\tx\fb\ty\n';
  assert.equal(formatTable(input), `aaaaaaaaaaaa${sp(3)}x\nb${sp(9)}y\n`);
  // With a newline instead, both lines share the column.
  assert.equal(formatTable('aaaaaaaaaaaa\tx\nb\ty\n'), `aaaaaaaaaaaa${sp(3)}x\nb${sp(14)}y\n`);
});

test('formatTable() pads empty cells to the column width', () => {
  assert.equal(formatTable('a\t\tc\nxx\tyy\tz\n'), `a${sp(9)}${sp(10)}c\nxx${sp(8)}yy${sp(8)}z\n`);
});

test('formatTable() treats a vertical tab like a tab', () => {
  assert.equal(formatTable('a\vb\n'), `a${sp(9)}b\n`);
});

test('formatTable() writes an unterminated last line without a newline', () => {
  assert.equal(formatTable('a\tb'), `a${sp(9)}b`);
  // A final tab with nothing after it leaves "b" as the trailing cell.
  assert.equal(formatTable('a\tb\t'), `a${sp(9)}b`);
  assert.equal(formatTable(''), '');
  assert.equal(formatTable('\n\n'), '\n\n');
});

test('formatTable() counts code points, not UTF-16 units or bytes', () => {
  assert.equal(formatTable('日本語\tx\nab\ty\n', TIGHT), '日本語.x\nab..y\n');
  assert.equal(formatTable('😀😀\tx\nabc\ty\n', TIGHT), '😀😀..x\nabc.y\n');
});

test('formatTable() measures cells with a custom cellWidth', () => {
  const wide: TabWriterOptions = { ...TIGHT, cellWidth: (s) => [...s].length * 2 };
  assert.equal(formatTable('ab\tx\nabc\ty\n', wide), 'ab...x\nabc.y\n');
});

test('formatTable() pads with tabs to multiples of the tab width when padChar is a tab', () => {
  const tabs: TabWriterOptions = { minWidth: 0, tabWidth: 8, padding: 1, padChar: '\t' };
  assert.equal(formatTable('a\tb\nccccccccc\td\n', tabs), 'a\t\tb\nccccccccc\td\n');
});

test('TabWriter gives the same result whatever the write() pieces are', () => {
  const input = 'NAME\tIMAGE\tSTATUS\nweb-1\tnginx:latest\tUp 2 minutes\ndb\tpostgres:16\tExited (0) 1 second ago\n';
  const expected = formatTable(input);
  for (const size of [1, 2, 3, 7]) {
    const chunks: string[] = [];
    const writer = new TabWriter((c) => chunks.push(c));
    for (let i = 0; i < input.length; i += size) writer.write(input.slice(i, i + size));
    writer.flush();
    assert.equal(chunks.join(''), expected, `pieces of ${size}`);
  }
});

test('TabWriter emits finished blocks before flush() after a line without tabs', () => {
  const chunks: string[] = [];
  const writer = new TabWriter((c) => chunks.push(c), DOCKER_TABLE_OPTIONS);
  writer.write('a\tb\n');
  assert.deepEqual(chunks, []);
  writer.write('plain line\n');
  assert.deepEqual(chunks, [`a${sp(9)}b\nplain line\n`]);
  writer.write('c\td');
  writer.flush();
  assert.deepEqual(chunks, [`a${sp(9)}b\nplain line\n`, `c${sp(9)}d`]);
});

test('TabWriter rejects negative widths', () => {
  assert.throws(() => new TabWriter(() => {}, { ...TIGHT, padding: -1 }), RangeError);
});
