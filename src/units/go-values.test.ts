import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatGoDuration, goQuote, parseGoDuration, parseRamBytes } from './go-values.js';

describe('Go value helpers', () => {
  it('goQuote() escapes like Go %q', () => {
    assert.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
    assert.equal(goQuote('\t\n\x01\x7f'), '"\\t\\n\\x01\\x7f"');
    assert.equal(goQuote('é☃😀'), '"é☃😀"');
    assert.equal(goQuote('\u200b\u00a0'), '"\\u200b\\u00a0"');
  });

  it('formatGoDuration() prints like Go time.Duration', () => {
    assert.equal(formatGoDuration(0), '0s');
    assert.equal(formatGoDuration(1500), '1.5µs');
    assert.equal(formatGoDuration(500e6), '500ms');
    assert.equal(formatGoDuration(1.5e9), '1.5s');
    assert.equal(formatGoDuration(90e9), '1m30s');
    assert.equal(formatGoDuration(3600e9), '1h0m0s');
    assert.equal(formatGoDuration(-2e9), '-2s');
    assert.equal(parseGoDuration(formatGoDuration(3723.5e9)), 3723.5e9);
  });

  it('parseRamBytes() follows docker size syntax', () => {
    assert.equal(parseRamBytes('1e3'), 1000);
    assert.equal(parseRamBytes('2KiB'), 2048);
    assert.throws(() => parseRamBytes('10KIBB'), { message: "invalid suffix: 'KIBB'" });
    assert.throws(() => parseRamBytes('-1'), { message: "invalid size: '-1'" });
  });
});
