import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExitError } from '../command.js';
import { formatRows } from './image-row-format.js';

const TYPE = { typeName: '*formatter.imageContext', headers: { ID: 'IMAGE ID', Tag: 'TAG' } };
const ROWS = [{ ID: 'abc', Tag: '<none>' }];

test('formatRows() writes a table with headers', () => {
  assert.equal(formatRows('table {{.ID}}\t{{.Tag}}', ROWS, TYPE), 'IMAGE ID   TAG\nabc        <none>\n');
});

test('formatRows() escapes HTML characters in json, as Go does', () => {
  assert.equal(formatRows('json', ROWS, TYPE), '{"ID":"abc","Tag":"\\u003cnone\\u003e"}\n');
  assert.equal(formatRows('{{json .}}', ROWS, TYPE), '{"ID":"abc","Tag":"\\u003cnone\\u003e"}\n');
});

test('formatRows() reports an unknown field as docker does', () => {
  assert.throws(() => formatRows('{{.ID}} {{.Foo}}', ROWS, TYPE), (e: unknown) => {
    assert.ok(e instanceof ExitError);
    assert.equal(e.message, 'template parsing error: template: :1:10: executing "" at <.Foo>: can\'t evaluate field Foo in type *formatter.imageContext');
    return true;
  });
});
