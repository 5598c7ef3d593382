import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_MAX_FILE, DEFAULT_MAX_SIZE, logPolicy, monitorLogCap, rotatedNames } from './log-policy.js';

const none = { type: '', config: {} };

describe('log policies', () => {
  it('rotates by default (5 files of 20 MB), unlike Docker\'s json-file', () => {
    assert.deepEqual(logPolicy(none), { driver: 'json-file', maxSize: DEFAULT_MAX_SIZE, maxFile: DEFAULT_MAX_FILE, compress: false });
  });

  it('takes --log-opt over the daemon\'s log-opts, which apply only to the daemon\'s driver', () => {
    const daemon = { type: 'json-file', config: { 'max-size': '10m', 'max-file': '3' } };
    assert.deepEqual(logPolicy(none, daemon), { driver: 'json-file', maxSize: 10 * 1024 * 1024, maxFile: 3, compress: false });
    assert.deepEqual(logPolicy({ type: 'json-file', config: { 'max-file': '2' } }, daemon).maxFile, 2);
    assert.deepEqual(logPolicy({ type: 'local', config: {} }, daemon), { driver: 'local', maxSize: DEFAULT_MAX_SIZE, maxFile: 5, compress: true });
  });

  it('keeps one file when only max-size is given (json-file), as Docker does', () => {
    const p = logPolicy({ type: 'json-file', config: { 'max-size': '1k' } });
    assert.deepEqual([p.maxSize, p.maxFile], [1024, 1]);
    assert.equal(monitorLogCap(p), 1024);
    assert.equal(monitorLogCap(logPolicy({ type: 'json-file', config: { 'max-size': '1k', 'max-file': '3' } })), undefined);
  });

  it('refuses unknown drivers and options with Docker\'s messages', () => {
    assert.throws(() => logPolicy({ type: 'syslog', config: {} }), /no log driver named 'syslog' is registered/);
    assert.throws(() => logPolicy({ type: 'json-file', config: { bogus: '1' } }), /unknown log opt 'bogus' for json-file log driver/);
    assert.throws(() => logPolicy({ type: 'json-file', config: { 'max-file': '0' } }), /max-file cannot be less than 1/);
    assert.throws(() => logPolicy({ type: 'json-file', config: { 'max-size': 'lots' } }), /invalid size: 'lots'/);
  });

  it('names rotated files newest first, .gz when compressed', () => {
    const p = logPolicy({ type: 'json-file', config: { 'max-size': '1m', 'max-file': '3', compress: 'true' } });
    assert.deepEqual(rotatedNames('/c/container.log', p), ['/c/container.log.1.gz', '/c/container.log.2.gz']);
    assert.equal(logPolicy({ type: 'json-file', config: { 'max-size': '1.5k' } }).maxSize, 1536);
  });
});
