import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  InvalidSizeError,
  bytesSize,
  formatG,
  humanDuration,
  humanSize,
  humanSizeWithPrecision,
  parseBytes,
  parseHumanSize,
  timeAgo,
} from './human-units.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

test('humanDuration() follows go-units HumanDuration thresholds', () => {
  const cases: Array<[number, string]> = [
    [-5 * SECOND, 'Less than a second'],
    [0, 'Less than a second'],
    [999, 'Less than a second'],
    [SECOND, '1 second'],
    [2 * SECOND, '2 seconds'],
    [59 * SECOND + 999, '59 seconds'],
    [MINUTE, 'About a minute'],
    [2 * MINUTE - 1, 'About a minute'],
    [2 * MINUTE, '2 minutes'],
    [59 * MINUTE + 59 * SECOND, '59 minutes'],
    [HOUR, 'About an hour'],
    [HOUR + 29 * MINUTE, 'About an hour'],
    [HOUR + 30 * MINUTE, '2 hours'],
    [47 * HOUR, '47 hours'],
    [47 * HOUR + 30 * MINUTE, '2 days'],
    [7 * DAY, '7 days'],
    [13 * DAY + 23 * HOUR, '13 days'],
    [14 * DAY, '2 weeks'],
    [59 * DAY, '8 weeks'],
    [60 * DAY, '2 months'],
    [729 * DAY, '24 months'],
    [730 * DAY, '2 years'],
    [3 * 365 * DAY + 100 * DAY, '3 years'],
  ];
  for (const [ms, text] of cases) assert.equal(humanDuration(ms), text, `${ms} ms`);
});

test('timeAgo() appends "ago" to the duration since the date', () => {
  const now = new Date('2024-05-01T12:00:00Z');
  const before = (ms: number): Date => new Date(now.getTime() - ms);
  assert.equal(timeAgo(before(0), now), 'Less than a second ago');
  assert.equal(timeAgo(before(90 * SECOND), now), 'About a minute ago');
  assert.equal(timeAgo(before(2 * MINUTE), now), '2 minutes ago');
  assert.equal(timeAgo(before(3 * 7 * DAY), now), '3 weeks ago');
});

test('humanSize() uses decimal units and 4 significant digits like go-units HumanSize', () => {
  const cases: Array<[number, string]> = [
    [0, '0B'],
    [5, '5B'],
    [1000, '1kB'],
    [1024, '1.024kB'],
    [4100, '4.1kB'],
    [1e6, '1MB'],
    [1048576, '1.049MB'],
    [3.42e9, '3.42GB'],
    [5.372e12, '5.372TB'],
    [2.22e15, '2.22PB'],
    [1e28, '1e+04YB'],
    [-5, '-5B'],
  ];
  for (const [size, text] of cases) assert.equal(humanSize(size), text, String(size));
});

test('humanSizeWithPrecision() with precision 3 gives the docker images SIZE column', () => {
  assert.equal(humanSizeWithPrecision(1234567, 3), '1.23MB');
  assert.equal(humanSizeWithPrecision(12.34e9, 3), '12.3GB');
  assert.equal(humanSizeWithPrecision(4_261_000, 3), '4.26MB');
  assert.equal(humanSizeWithPrecision(77_800_000, 3), '77.8MB');
  assert.equal(humanSizeWithPrecision(0, 3), '0B');
  // Rounding up to 1000 of a unit switches to exponent form, as Go's %g does.
  assert.equal(humanSizeWithPrecision(999.5, 3), '1e+03B');
  assert.equal(humanSizeWithPrecision(999_600, 3), '1e+03kB');
});

test('humanSizeWithPrecision() rounds exact halves to even like Go', () => {
  assert.equal(humanSizeWithPrecision(1125, 3), '1.12kB');
  assert.equal(humanSizeWithPrecision(1375, 3), '1.38kB');
  assert.equal(humanSizeWithPrecision(2500, 1), '2kB');
  assert.equal(humanSizeWithPrecision(3500, 1), '4kB');
});

test('formatG() chooses fixed or exponent form like Go %g', () => {
  assert.equal(formatG(100, 3), '100');
  assert.equal(formatG(1000, 3), '1e+03');
  assert.equal(formatG(0.0001234, 3), '0.000123');
  assert.equal(formatG(0.00001234, 3), '1.23e-05');
  assert.equal(formatG(123456789, 4), '1.235e+08');
  assert.equal(formatG(1.5, 4), '1.5');
  assert.equal(formatG(Number.POSITIVE_INFINITY, 4), '+Inf');
});

test('bytesSize() uses binary units and 4 significant digits like go-units BytesSize', () => {
  const cases: Array<[number, string]> = [
    [0, '0B'],
    [1000, '1000B'],
    [1023, '1023B'],
    [KiB, '1KiB'],
    [512 * KiB, '512KiB'],
    [MiB, '1MiB'],
    [MiB - 1, '1024KiB'],
    [1.5 * GiB, '1.5GiB'],
    [3.25 * 1024 * GiB, '3.25TiB'],
  ];
  for (const [size, text] of cases) assert.equal(bytesSize(size), text, String(size));
});

test('parseBytes() accepts the RAMInBytes forms with binary multiples', () => {
  const cases: Array<[string, number]> = [
    ['1024', 1024],
    ['32b', 32],
    ['32B', 32],
    ['100k', 100 * KiB],
    ['32K', 32 * KiB],
    ['32kb', 32 * KiB],
    ['32KiB', 32 * KiB],
    ['512m', 512 * MiB],
    ['1g', GiB],
    ['1.5g', 1.5 * GiB],
    ['1 GiB', GiB],
    ['0.3m', 314572],
    ['2t', 2 * 1024 * GiB],
    ['1p', 1024 ** 5],
    ['1e3', 1000],
    ['5.', 5],
    ['.5k', 512],
    ['+1k', 1024],
  ];
  for (const [input, bytes] of cases) assert.equal(parseBytes(input), bytes, input);
});

test('parseBytes() rejects bad input with go-units error texts', () => {
  const cases: Array<[string, string]> = [
    ['', "invalid size: ''"],
    ['hello', "invalid size: 'hello'"],
    ['-32', "invalid size: '-32'"],
    ['-1m', "invalid size: '-1m'"],
    ['32x', "invalid suffix: 'x'"],
    ['32bm', "invalid suffix: 'bm'"],
    ['32mx', "invalid suffix: 'mx'"],
    ['32MiX', "invalid suffix: 'mix'"],
    ['32KiBB', "invalid suffix: 'KiBB'"],
    [' 32 ', 'strconv.ParseFloat: parsing " 32": invalid syntax'],
    ['32m b', 'strconv.ParseFloat: parsing "32m": invalid syntax'],
    ['1.2.3', 'strconv.ParseFloat: parsing "1.2.3": invalid syntax'],
    ['1e999', 'strconv.ParseFloat: parsing "1e999": value out of range'],
  ];
  for (const [input, message] of cases) {
    assert.throws(() => parseBytes(input), (e: unknown) => {
      assert.ok(e instanceof InvalidSizeError, input);
      assert.equal(e.message, message, input);
      return true;
    });
  }
});

test('parseHumanSize() uses decimal multiples', () => {
  assert.equal(parseHumanSize('1kB'), 1000);
  assert.equal(parseHumanSize('1.5M'), 1_500_000);
  assert.equal(parseHumanSize('32'), 32);
});
