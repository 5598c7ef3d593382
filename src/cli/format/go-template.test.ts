import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TemplateError, formatGoValue, parseTemplate } from './go-template.js';

/** A trimmed `docker container inspect` object. */
const container = {
  Id: 'f1e2d3',
  Name: '/web',
  State: { Status: 'running', Running: true, ExitCode: 0, Pid: 4242 },
  Config: {
    Image: 'nginx:1.27',
    Env: ['PATH=/usr/bin', 'TZ=UTC'],
    Labels: { 'com.example': 'yes', 'com.docker.compose.project': 'shop' },
  },
  Mounts: [
    { Type: 'volume', Destination: '/data' },
    { Type: 'bind', Destination: '/etc/nginx' },
  ],
  Labels: { zone: 'b', app: 'web' },
  Empty: [],
  Nothing: null,
};

function render(source: string, data: unknown = container): string {
  return parseTemplate(source).execute(data);
}

function assertTemplateError(fn: () => unknown, message: string | RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof TemplateError, `expected TemplateError, got ${String(e)}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

// ---- docker usages ----

test('execute() prints nested fields with {{.State.ExitCode}}', () => {
  assert.equal(render('{{.State.ExitCode}}'), '0');
  assert.equal(render('{{.State.Status}} {{.State.Pid}}'), 'running 4242');
});

test('execute() prints {{json .Config}} with keys in data order and no HTML escaping', () => {
  assert.equal(
    render('{{json .Config}}'),
    '{"Image":"nginx:1.27","Env":["PATH=/usr/bin","TZ=UTC"],' +
      '"Labels":{"com.example":"yes","com.docker.compose.project":"shop"}}',
  );
});

test('execute() prints ps rows with {{.Names}}\\t{{.Status}}', () => {
  assert.equal(render('{{.Names}}\t{{.Status}}', { Names: 'web', Status: 'Up 2 hours' }), 'web\tUp 2 hours');
});

test('execute() iterates {{range .Mounts}}{{.Destination}} {{end}}', () => {
  assert.equal(render('{{range .Mounts}}{{.Destination}} {{end}}'), '/data /etc/nginx ');
});

test('execute() looks up map keys with {{index .Config.Labels "com.example"}}', () => {
  assert.equal(render('{{index .Config.Labels "com.example"}}'), 'yes');
});

test('execute() ranges over an object in sorted key order with {{range $k, $v := .Labels}}', () => {
  assert.equal(render('{{range $k, $v := .Labels}}{{$k}}={{$v}} {{end}}'), 'app=web zone=b ');
});

// ---- fields and values ----

test('execute() prints {{.}} of an object as a Go map with sorted keys', () => {
  assert.equal(render('{{.}}', { b: [1, 'x'], a: { c: true }, n: null }), 'map[a:map[c:true] b:[1 x] n:<nil>]');
});

test('execute() prints <no value> for a missing key and for fields chained through it', () => {
  assert.equal(render('{{.Nope}}'), '<no value>');
  assert.equal(render('{{.Nope.Deeper}}'), '<no value>');
  assert.equal(render('{{.Nothing.Deeper}}'), '<no value>');
});

test('execute() passes a missing value to functions as nil', () => {
  assert.equal(render('{{print .Nope}}'), '<nil>');
  assert.equal(render('{{.Nope | printf "%v"}}'), '<nil>');
  assert.equal(render('{{json .Nope}}'), 'null');
});

test('execute() fails on a missing key when missingKey is "error", like docker inspect', () => {
  const tmpl = parseTemplate('{{.State.Health.Status}}', undefined, { missingKey: 'error' });
  assertTemplateError(
    () => tmpl.execute(container),
    'template: :1:2: executing "" at <.State.Health.Status>: map has no entry for key "Health"',
  );
});

test('execute() reports a field lookup on a non-object as an execution error', () => {
  assertTemplateError(
    () => render('{{.Name.First}}'),
    'template: :1:2: executing "" at <.Name.First>: can\'t evaluate field First in type string',
  );
});

test('execute() calls function-valued properties like Go methods, with arguments', () => {
  const row = { Label: (key: unknown) => (key === 'app' ? 'web' : ''), Size: () => '10MB' };
  assert.equal(render('{{.Label "app"}}|{{.Size}}|{{"app" | .Label}}', row), 'web|10MB|web');
});

test('execute() reads fields of a parenthesized result', () => {
  assert.equal(render('{{(index .Mounts 1).Type}}'), 'bind');
});

// ---- control structures ----

test('execute() runs {{else}} of a range over an empty or missing list', () => {
  assert.equal(render('{{range .Empty}}x{{else}}none{{end}}'), 'none');
  assert.equal(render('{{range .Nope}}x{{else}}none{{end}}'), 'none');
});

test('execute() binds index and element with {{range $i, $m := .Mounts}}', () => {
  assert.equal(
    render('{{range $i, $m := .Mounts}}{{if $i}}, {{end}}{{$i}}:{{$m.Type}}{{end}}'),
    '0:volume, 1:bind',
  );
  assert.equal(render('{{range $m := .Mounts}}{{$m.Type}} {{end}}'), 'volume bind ');
});

test('execute() supports {{break}} and {{continue}} inside range', () => {
  assert.equal(render('{{range .}}{{if eq . 3}}{{break}}{{end}}{{.}}{{end}}', [1, 2, 3, 4]), '12');
  assert.equal(render('{{range .}}{{if eq . 2}}{{continue}}{{end}}{{.}}{{end}}', [1, 2, 3]), '13');
});

test('execute() ranges over an integer like Go 1.22', () => {
  assert.equal(render('{{range 3}}{{.}}{{end}}'), '012');
});

test('execute() chooses branches with {{if}}, {{else if}} and {{else}}', () => {
  const tmpl = parseTemplate('{{if eq .N 1}}one{{else if eq .N 2}}two{{else}}many{{end}}');
  assert.equal(tmpl.execute({ N: 1 }), 'one');
  assert.equal(tmpl.execute({ N: 2 }), 'two');
  assert.equal(tmpl.execute({ N: 7 }), 'many');
});

test('execute() treats zero values and empty collections as false in {{if}}', () => {
  const tmpl = parseTemplate('{{if .}}T{{else}}F{{end}}');
  const results = [0, '', false, null, [], {}, 1, 'a', true, [0], { a: 1 }].map((v) => tmpl.execute(v));
  assert.deepEqual(results, ['F', 'F', 'F', 'F', 'F', 'F', 'T', 'T', 'T', 'T', 'T']);
});

test('execute() sets dot with {{with}} and falls back to {{else}}', () => {
  assert.equal(render('{{with .State}}{{.Status}}{{end}}'), 'running');
  assert.equal(render('{{with .Nope}}x{{else}}no state{{end}}'), 'no state');
  assert.equal(render('{{with .Nope}}x{{else with .State}}{{.Pid}}{{end}}'), '4242');
});

test('execute() declares and assigns variables, with $ as the root', () => {
  assert.equal(render('{{$n := .Name}}{{$n}}{{$n = "other"}} {{$n}}'), '/web other');
  assert.equal(render('{{range .Mounts}}{{$.Name}}:{{.Type}} {{end}}'), '/web:volume /web:bind ');
  assert.equal(render('{{if $s := .State.Status}}{{$s}}{{end}}'), 'running');
});

test('execute() runs {{define}}/{{template}} and {{block}}', () => {
  assert.equal(render('{{define "m"}}[{{.Type}}]{{end}}{{range .Mounts}}{{template "m" .}}{{end}}'), '[volume][bind]');
  assert.equal(render('{{block "b" .Name}}<{{.}}>{{end}}'), '</web>');
});

// ---- syntax ----

test('execute() passes pipeline results as the last argument', () => {
  assert.equal(render('{{.Name | printf "%s!" | upper}}'), '/WEB!');
  assert.equal(render('{{.State.Pid | printf "%d-%s" 1}}', container), '1-%!s(int=4242)');
});

test('execute() applies trim markers to the neighbouring whitespace', () => {
  assert.equal(render('a  \n {{- .Name -}} \n  b'), 'a/webb');
  assert.equal(render('{{range .Mounts -}}\n  {{.Type}}\n{{- end}}'), 'volumebind');
  assert.equal(render('{{-3}}'), '-3');
});

test('execute() drops comments, including trimmed ones', () => {
  assert.equal(render('a {{/* note */}} b'), 'a  b');
  assert.equal(render('a {{- /* note\n spanning lines */ -}} b'), 'ab');
});

test('execute() decodes Go string, raw string, rune and number literals', () => {
  assert.equal(render('{{"tab\\there \\x41\\u00e9 \\"q\\""}}'), 'tab\there Aé "q"');
  assert.equal(render('{{`raw\\n`}}'), 'raw\\n');
  assert.equal(render("{{'a'}} {{0x1F}} {{1_000}} {{1e3}} {{-2.5}} {{true}} {{print nil}}"), '97 31 1000 1000 -2.5 true <nil>');
});

// ---- built-in functions ----

test('execute() compares with eq (several arguments), ne, lt, le, gt and ge', () => {
  assert.equal(render('{{eq .State.Status "exited" "running"}} {{ne 1 2}} {{eq "a" "b"}}'), 'true true false');
  assert.equal(render('{{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1 2}}'), 'true true true false');
  assert.equal(render('{{eq .Nope "x"}} {{eq .Nothing nil}}'), 'false true');
});

test('execute() reports comparisons of incompatible types as errors', () => {
  assertTemplateError(
    () => render('{{lt 1 "a"}}'),
    'template: :1:2: executing "" at <lt 1 "a">: error calling lt: incompatible types for comparison',
  );
  assertTemplateError(() => render('{{eq .Mounts .Mounts}}'), /non-comparable type/);
});

test('execute() short-circuits and/or and returns the deciding value', () => {
  assert.equal(render('{{and 1 0 .Nope.X}} {{or 0 "" "z"}} {{and 1 "last"}} {{not .Empty}}'), '0 z last true');
});

test('execute() measures with len (bytes for strings) and cuts with slice and index', () => {
  assert.equal(render('{{len .Mounts}} {{len .Labels}} {{len "héllo"}}'), '2 2 6');
  assert.equal(render('{{slice "abcdef" 1 3}} {{slice .Config.Env 1}} {{index .Config.Env 0}}'), 'bc [TZ=UTC] PATH=/usr/bin');
  assertTemplateError(
    () => render('{{index .Mounts 5}}'),
    'template: :1:2: executing "" at <index .Mounts 5>: error calling index: index out of range: 5',
  );
});

test('execute() prints with print, println, and escapes with html, js and urlquery', () => {
  assert.equal(render('{{print 1 2 "a" "b" 3}}|{{println "x" 1}}'), '1 2ab3|x 1\n');
  assert.equal(render('{{html "<a href=\'x\'>&"}}'), '&lt;a href=&#39;x&#39;&gt;&amp;');
  assert.equal(render('{{js "it\'s <b>"}} {{urlquery "a b&c"}}'), 'it\\\'s \\u003Cb\\u003E a+b%26c');
});

test('execute() formats printf verbs like Go', () => {
  assert.equal(
    render('{{printf "%s|%v|%d|%q|%t|%x|%X|%f|%.2f|%5s|%-6s|%%" "s" .Mounts 42 "q" true 255 "hi" 1.5 3.14159 "ab" "cd"}}'),
    's|[map[Destination:/data Type:volume] map[Destination:/etc/nginx Type:bind]]|42|"q"|true|ff|6869|1.500000|3.14|   ab|cd    |%',
  );
  assert.equal(render('{{printf "%d %s" "x"}}'), '%!d(string=x) %!s(MISSING)');
});

// ---- docker functions ----

test('execute() encodes json of strings, arrays and objects like Go encoding/json', () => {
  assert.equal(render('{{json .Name}}'), '"/web"');
  assert.equal(render('{{json .Config.Env}}'), '["PATH=/usr/bin","TZ=UTC"]');
  assert.equal(render('{{json .}}', { z: 1, a: [true, null], s: 'a<b>&"\n' }), '{"z":1,"a":[true,null],"s":"a<b>&\\"\\n"}');
  assert.equal(render('{{json .}}', '\u2028'), '"\\u2028"');
});

test('execute() joins lists and map values, and splits strings', () => {
  assert.equal(render('{{join .Config.Env ","}}'), 'PATH=/usr/bin,TZ=UTC');
  assert.equal(render('{{join .Labels ","}}'), 'web,b');
  assert.equal(render('{{split "a:b:c" ":"}} {{index (split .Config.Image ":") 1}}'), '[a b c] 1.27');
});

test('execute() changes case with lower, upper and title', () => {
  assert.equal(render('{{lower "MiXed"}} {{upper "MiXed"}} {{title "hello wide-world don\'t"}}'), 'mixed MIXED Hello Wide-World Don\'t');
});

test('execute() pads non-empty strings and truncates to a byte length', () => {
  assert.equal(render('[{{pad "x" 2 1}}][{{pad "" 2 1}}]'), '[  x ][]');
  assert.equal(render('{{truncate "abcdef" 3}}|{{truncate "ab" 5}}|{{truncate .Id 4}}'), 'abc|ab|f1e2');
});

test('execute() reports wrong argument types to docker functions', () => {
  assertTemplateError(
    () => render('{{lower .State.Pid}}'),
    'template: :1:2: executing "" at <lower .State.Pid>: wrong type for value; expected string; got int',
  );
  assertTemplateError(() => render('{{lower "a" "b"}}'), /wrong number of args for lower: want 1 got 2/);
});

test('parseTemplate() lets extra functions override built-in ones', () => {
  const identity = (v: unknown): unknown => v;
  const tmpl = parseTemplate('{{json .Name}} {{shout .Name}}', {
    json: identity,
    shout: (s) => `${String(s)}!`,
  });
  assert.equal(tmpl.execute(container), '/web /web!');
});

test('execute() wraps errors thrown by extra functions in TemplateError', () => {
  const tmpl = parseTemplate('{{boom}}', {
    boom: () => {
      throw new TypeError('kaput');
    },
  });
  assertTemplateError(() => tmpl.execute({}), 'template: :1:2: executing "" at <boom>: error calling boom: kaput');
});

// ---- errors ----

test('parseTemplate() rejects an unclosed action', () => {
  assertTemplateError(() => parseTemplate('{{.Name'), 'template: :1: unclosed action');
  assertTemplateError(() => parseTemplate('ok\n{{.Name'), 'template: :2: unclosed action');
});

test('parseTemplate() rejects an unknown function', () => {
  assertTemplateError(() => parseTemplate('{{foo .Name}}'), 'template: :1: function "foo" not defined');
});

test('parseTemplate() rejects misplaced or missing {{end}} and {{else}}', () => {
  assertTemplateError(() => parseTemplate('{{end}}'), 'template: :1: unexpected {{end}}');
  assertTemplateError(() => parseTemplate('{{else}}'), 'template: :1: unexpected {{else}}');
  assertTemplateError(() => parseTemplate('{{if .A}}x'), 'template: :1: unexpected EOF');
  assertTemplateError(() => parseTemplate('{{break}}'), 'template: :1: {{break}} outside {{range}}');
});

test('parseTemplate() rejects bad syntax inside actions', () => {
  assertTemplateError(() => parseTemplate('{{$x}}'), 'template: :1: undefined variable "$x"');
  assertTemplateError(() => parseTemplate('{{"abc}}'), 'template: :1: unterminated quoted string');
  assertTemplateError(() => parseTemplate('{{(.A}}'), 'template: :1: unclosed left paren');
  assertTemplateError(() => parseTemplate('{{.A | "x"}}'), 'template: :1: non executable command in pipeline stage 2');
  assertTemplateError(() => parseTemplate('{{}}'), 'template: :1: missing value for command');
  assertTemplateError(() => parseTemplate('{{/* open'), 'template: :1: unclosed comment');
  assertTemplateError(() => parseTemplate('{{#}}'), "template: :1: bad character U+0023 '#'");
});

test('execute() reports the line and byte column of the failing node', () => {
  assertTemplateError(
    () => render('first\n  {{.Name 1}}'),
    'template: :2:4: executing "" at <.Name>: Name is not a method but has arguments',
  );
  assertTemplateError(() => render('{{range .Name}}{{end}}'), /range can't iterate over \/web/);
});

test('execute() turns runaway recursion into a TemplateError', () => {
  const cyclic: Record<string, unknown> = {};
  cyclic['self'] = cyclic;
  assertTemplateError(() => render('{{.}}', cyclic), /Maximum call stack/);
  assertTemplateError(
    () => render('{{define "a"}}{{template "a"}}{{end}}{{template "a"}}'),
    /exceeded maximum template depth/,
  );
});

// ---- formatGoValue ----

test('formatGoValue() prints values like Go %v', () => {
  assert.equal(formatGoValue('s'), 's');
  assert.equal(formatGoValue(42), '42');
  assert.equal(formatGoValue(0.5), '0.5');
  assert.equal(formatGoValue(1234567.5), '1.2345675e+06');
  assert.equal(formatGoValue(1e21), '1000000000000000000000');
  assert.equal(formatGoValue(true), 'true');
  assert.equal(formatGoValue(null), '<nil>');
  assert.equal(formatGoValue(undefined), '<no value>');
  assert.equal(formatGoValue(['a', 'b', 'c']), '[a b c]');
  assert.equal(formatGoValue({ k2: 'v2', k1: ['x'] }), 'map[k1:[x] k2:v2]');
});

test('index on a missing key of a string map gives "" like Go\'s map[string]string', () => {
  assert.equal(parseTemplate('[{{index .Labels "nope"}}]').execute({ Labels: { a: 'b' } }), '[]');
});
