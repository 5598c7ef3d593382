import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTemplate } from '../format/go-template.js';
import { compactJson, imageInspectView, indentJson } from './image-inspect-view.js';

test('indentJson() indents like json.Indent and keeps empty collections on one line', () => {
  assert.equal(indentJson('[{"a":[],"b":{},"c":[1,"x, y"]}]', '    '), '[\n    {\n        "a": [],\n        "b": {},\n        "c": [\n            1,\n            "x, y"\n        ]\n    }\n]');
});

test('compactJson() removes whitespace outside strings only', () => {
  assert.equal(compactJson('{ "a" : [ 1, " x " ] }\n'), '{"a":[1," x "]}');
});

test('imageInspectView() leaves empty omitempty fields out of json but readable', () => {
  const view = imageInspectView({ Id: 'sha256:x', Config: { Hostname: '', Env: null, Cmd: ['sh'] }, Metadata: { LastTagTime: '2024-01-02T03:04:05.120Z' } });
  assert.equal(parseTemplate('{{json .Config}}').execute(view), '{"Cmd":["sh"]}');
  assert.equal(parseTemplate('{{.Config.Env}}').execute(view), '[]');
  assert.equal(parseTemplate('{{json .Metadata}}').execute(view), '{"LastTagTime":"2024-01-02T03:04:05.12Z"}');
  assert.throws(() => parseTemplate('{{.Config.Hostname}}').execute(view));
});
