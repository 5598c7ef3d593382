import { describe, it } from 'node:test';
import { PS_FLAGS, RUN_FLAGS } from './flag-fixtures.test-data.js';
import assert from 'node:assert/strict';
import { goQuote } from '../../units/go-values.js';
import { FlagError, parseFlags, type FlagSpec } from './parse-flags.js';


const run = (argv: readonly string[]) => parseFlags(argv, RUN_FLAGS, { interspersed: false });
const ps = (argv: readonly string[]) => parseFlags(argv, PS_FLAGS, { interspersed: true });

/** Asserts that parsing throws a FlagError with exactly this message. */
function assertFlagError(parse: () => unknown, message: string): void {
  assert.throws(parse, (e: unknown) => {
    assert.ok(e instanceof FlagError, `expected FlagError, got ${String(e)}`);
    assert.equal(e.message, message);
    return true;
  });
}

describe('parseFlags()', () => {
  it('parseFlags() accepts --name value and --name=value', () => {
    assert.equal(run(['--name', 'web', 'nginx']).getString('name'), 'web');
    assert.equal(run(['--name=web', 'nginx']).getString('name'), 'web');
    assert.equal(run(['--name=', 'nginx']).getString('name'), '');
    assert.equal(run(['--name=a=b', 'nginx']).getString('name'), 'a=b');
  });

  it('parseFlags() accepts -n value, -nvalue and -n=value', () => {
    assert.equal(ps(['-n', '3']).getInt('last'), 3);
    assert.equal(ps(['-n3']).getInt('last'), 3);
    assert.equal(ps(['-n=3']).getInt('last'), 3);
    assert.equal(ps(['-n', '-2']).getInt('last'), -2);
  });

  it('parseFlags() accepts combined short bools -it, -dit and -itd', () => {
    for (const argv of [['-it'], ['-dit'], ['-itd'], ['-i', '-t', '-d']]) {
      const flags = run([...argv, 'alpine']);
      assert.equal(flags.getBool('interactive'), true);
      assert.equal(flags.getBool('tty'), true);
      assert.equal(flags.getBool('detach'), argv.join('').includes('d'));
      assert.deepEqual(flags.args, ['alpine']);
    }
  });

  it('parseFlags() lets the last flag of a cluster take the rest as its value (-ep8080)', () => {
    const flags = run(['-ep8080', '-itp', '80:80', '-dem=1', 'alpine']);
    assert.deepEqual(flags.getStrings('env'), ['p8080', 'm=1']);
    assert.deepEqual(flags.getStrings('publish'), ['80:80']);
    assert.equal(flags.getBool('detach'), true);
    assert.deepEqual(flags.args, ['alpine']);
  });

  it('parseFlags() takes bool values only after "="', () => {
    assert.equal(run(['--rm=false', 'x']).getBool('rm'), false);
    assert.equal(run(['--rm=true', 'x']).getBool('rm'), true);
    assert.equal(run(['--rm=1', 'x']).getBool('rm'), true);
    assert.equal(run(['--sig-proxy=F', 'x']).getBool('sig-proxy'), false);
    assert.equal(run(['-d=false', 'x']).getBool('detach'), false);
    assert.equal(run(['-it=false', 'x']).getBool('tty'), false);
    const flags = ps(['-a', 'false']);
    assert.equal(flags.getBool('all'), true);
    assert.deepEqual(flags.args, ['false']);
    const runFlags = run(['--rm', 'false']);
    assert.equal(runFlags.getBool('rm'), true);
    assert.deepEqual(runFlags.args, ['false']);
  });

  it('parseFlags() keeps defaults and reports only user-set flags through has()', () => {
    const flags = run(['--rm', 'x']);
    assert.equal(flags.has('rm'), true);
    assert.equal(flags.has('sig-proxy'), false);
    assert.equal(flags.getBool('sig-proxy'), true);
    assert.equal(flags.getString('name'), '');
    assert.deepEqual(flags.getStrings('env'), []);
    assert.equal(ps([]).getInt('last'), -1);
    assert.equal(run(['--rm=false', 'x']).has('rm'), true);
  });

  it('parseFlags() ends flags at "--" and records where it stood', () => {
    const flags = ps(['-a', 'one', '--', '-q', '--foo']);
    assert.deepEqual(flags.args, ['one', '-q', '--foo']);
    assert.equal(flags.dashIndex, 1);
    assert.equal(flags.getBool('quiet'), false);
    assert.equal(ps(['-a']).dashIndex, -1);
  });

  it('parseFlags() treats "-" and "" as arguments', () => {
    assert.deepEqual(ps(['-', '-a', '']).args, ['-', '']);
    assert.deepEqual(run(['-', '-i']).args, ['-', '-i']);
  });

  it('parseFlags() stops at the first argument when not interspersed (docker run)', () => {
    const flags = run(['-it', '--rm', 'ubuntu', 'ls', '-la', '--name', 'x', '--foo']);
    assert.deepEqual(flags.args, ['ubuntu', 'ls', '-la', '--name', 'x', '--foo']);
    assert.equal(flags.getString('name'), '');
    assert.equal(run(['alpine', '--help']).help, false);
  });

  it('parseFlags() allows flags after arguments when interspersed (docker ps, rm)', () => {
    const flags = ps(['one', '-q', 'two', '--last', '2', 'three']);
    assert.deepEqual(flags.args, ['one', 'two', 'three']);
    assert.equal(flags.getBool('quiet'), true);
    assert.equal(flags.getInt('last'), 2);
  });

  it('parseFlags() accumulates repeated list and stringArray flags', () => {
    assert.deepEqual(run(['-e', 'A=1', '-e', 'B=2', '--env=C=3,D=4', 'x']).getStrings('env'), [
      'A=1',
      'B=2',
      'C=3,D=4',
    ]);
    const specs: FlagSpec[] = [
      { name: 'build-arg', type: 'stringArray', default: ['X=0'], usage: '' },
    ];
    const parse = (argv: string[]) => parseFlags(argv, specs, { interspersed: true });
    assert.deepEqual(parse([]).getStrings('build-arg'), ['X=0']);
    assert.deepEqual(parse(['--build-arg', 'a,b', '--build-arg', 'c']).getStrings('build-arg'), [
      'a,b',
      'c',
    ]);
  });

  it('parseFlags() splits stringSlice values as CSV', () => {
    const specs: FlagSpec[] = [{ name: 'subnet', type: 'stringSlice', default: ['d'], usage: '' }];
    const parse = (argv: string[]) => parseFlags(argv, specs, { interspersed: true });
    assert.deepEqual(parse([]).getStrings('subnet'), ['d']);
    assert.deepEqual(parse(['--subnet', 'a,b', '--subnet=c']).getStrings('subnet'), ['a', 'b', 'c']);
    assert.deepEqual(parse(['--subnet', '"x,y",z', '--subnet', '"q""r"']).getStrings('subnet'), [
      'x,y',
      'z',
      'q"r',
    ]);
    assert.deepEqual(parse(['--subnet', '']).getStrings('subnet'), []);
    assert.deepEqual(parse(['--subnet', 'a,']).getStrings('subnet'), ['a', '']);
    assert.deepEqual(parse(['--subnet', 'a\nb']).getStrings('subnet'), ['a']);
    assertFlagError(
      () => parse(['--subnet', 'a"b']),
      'invalid argument "a\\"b" for "--subnet" flag: parse error on line 1, column 2: bare " in non-quoted-field',
    );
    assertFlagError(
      () => parse(['--subnet', '"a"b']),
      'invalid argument "\\"a\\"b" for "--subnet" flag: parse error on line 1, column 3: extraneous or missing " in quoted-field',
    );
    assertFlagError(
      () => parse(['--subnet', '"a\nb']),
      'invalid argument "\\"a\\nb" for "--subnet" flag: record on line 1; parse error on line 2, column 2: extraneous or missing " in quoted-field',
    );
    assertFlagError(() => parse(['--subnet', '\n']), 'invalid argument "\\n" for "--subnet" flag: EOF');
  });

  it('parseFlags() sets key=value pairs of map flags', () => {
    const flags = run(['--sysctl', 'net.a=1', '--sysctl', 'b', '--sysctl=net.a=2=3', 'x']);
    assert.deepEqual([...flags.getMap('sysctl')], [
      ['net.a', '2=3'],
      ['b', ''],
    ]);
  });

  it('parseFlags() parses ints like strconv.ParseInt with base 0', () => {
    for (const [text, want] of [
      ['0x1f', 31],
      ['0o17', 15],
      ['017', 15],
      ['0b101', 5],
      ['1_000', 1000],
      ['+7', 7],
      ['0', 0],
      ['-9223372036854775808', -9223372036854775808],
    ] as const) {
      assert.equal(ps(['-n', text]).getInt('last'), want, text);
    }
    for (const text of ['abc', '', ' 1', '08', '0x', '1__0', '_1', '1.5', '0x_']) {
      assertFlagError(
        () => ps(['-n', text]),
        `invalid argument ${goQuote(text)} for "-n, --last" flag: strconv.ParseInt: parsing ${goQuote(text)}: invalid syntax`,
      );
    }
    assertFlagError(
      () => ps(['--last', '9223372036854775808']),
      'invalid argument "9223372036854775808" for "-n, --last" flag: strconv.ParseInt: parsing "9223372036854775808": value out of range',
    );
  });

  it('parseFlags() parses uint16 like strconv.ParseUint', () => {
    assert.equal(run(['--blkio-weight', '65535', 'x']).getInt('blkio-weight'), 65535);
    assertFlagError(
      () => run(['--blkio-weight', '70000']),
      'invalid argument "70000" for "--blkio-weight" flag: strconv.ParseUint: parsing "70000": value out of range',
    );
    assertFlagError(
      () => run(['--blkio-weight', '-1']),
      'invalid argument "-1" for "--blkio-weight" flag: strconv.ParseUint: parsing "-1": invalid syntax',
    );
  });

  it('parseFlags() parses floats like strconv.ParseFloat', () => {
    assert.equal(run(['--cpus', '1.5', 'x']).getFloat('cpus'), 1.5);
    assert.equal(run(['--cpus', '.5e1', 'x']).getFloat('cpus'), 5);
    assert.equal(run(['--cpus', '0x1p-2', 'x']).getFloat('cpus'), 0.25);
    assertFlagError(
      () => run(['--cpus', '1e400']),
      'invalid argument "1e400" for "--cpus" flag: strconv.ParseFloat: parsing "1e400": value out of range',
    );
    assertFlagError(
      () => run(['--cpus', '1e']),
      'invalid argument "1e" for "--cpus" flag: strconv.ParseFloat: parsing "1e": invalid syntax',
    );
  });

  it('parseFlags() parses Go durations into nanoseconds', () => {
    const ns = (text: string) => run(['--health-interval', text, 'x']).getDuration('health-interval');
    assert.equal(ns('10s'), 10e9);
    assert.equal(ns('1m30s'), 90e9);
    assert.equal(ns('500ms'), 500e6);
    assert.equal(ns('1.5h'), 5400e9);
    assert.equal(ns('2us'), 2000);
    assert.equal(ns('2µs'), 2000);
    assert.equal(ns('0'), 0);
    assert.equal(ns('-1s'), -1e9);
    assertFlagError(
      () => run(['--health-interval', '10']),
      'invalid argument "10" for "--health-interval" flag: time: missing unit in duration "10"',
    );
    assertFlagError(
      () => run(['--health-interval', '10x']),
      'invalid argument "10x" for "--health-interval" flag: time: unknown unit "x" in duration "10x"',
    );
    assertFlagError(
      () => run(['--health-interval', 'abc']),
      'invalid argument "abc" for "--health-interval" flag: time: invalid duration "abc"',
    );
    assertFlagError(
      () => run(['--health-interval', '2562048h']),
      'invalid argument "2562048h" for "--health-interval" flag: time: invalid duration "2562048h"',
    );
  });

  it('parseFlags() parses byte sizes like docker --memory', () => {
    const bytes = (text: string) => run(['-m', text, 'x']).getInt('memory');
    assert.equal(bytes('512'), 512);
    assert.equal(bytes('64m'), 64 * 1024 * 1024);
    assert.equal(bytes('1.5GiB'), 1.5 * 1024 ** 3);
    assert.equal(bytes('10 kb'), 10240);
    assertFlagError(
      () => run(['-m', 'abc']),
      `invalid argument "abc" for "-m, --memory" flag: invalid size: 'abc'`,
    );
    assertFlagError(
      () => run(['-m', '10x']),
      `invalid argument "10x" for "-m, --memory" flag: invalid suffix: 'x'`,
    );
  });

  it('parseFlags() reports --help, and -h where no flag owns it with a deprecation warning', () => {
    assert.equal(ps(['--help']).help, true);
    assert.equal(ps(['--help=false']).help, false);
    assert.equal(ps([]).help, false);
    const short = ps(['-h']);
    assert.equal(short.help, true);
    assert.deepEqual(short.warnings, ['Flag shorthand -h has been deprecated, use --help']);
    assert.equal(run(['--help']).help, true);
    assert.equal(run(['-h', 'box', 'x']).getString('hostname'), 'box');
    assertFlagError(() => ps(['--help', '--foo']), 'unknown flag: --foo');
  });

  it('parseFlags() warns when a deprecated flag is used', () => {
    const specs: FlagSpec[] = [{ name: 'old', type: 'bool', usage: '', deprecated: 'use --new' }];
    const flags = parseFlags(['--old'], specs, { interspersed: true });
    assert.equal(flags.getBool('old'), true);
    assert.deepEqual(flags.warnings, ['Flag --old has been deprecated, use --new']);
  });

  it('parseFlags() runs validate() and reports its error as an invalid argument', () => {
    const specs: FlagSpec[] = [
      {
        name: 'env',
        short: 'e',
        type: 'list',
        usage: '',
        validate: (v) => {
          if (v.startsWith('=')) throw new Error(`invalid environment variable: ${v}`);
          return v.includes('=') ? v : `${v}=from-host`;
        },
      },
    ];
    const parse = (argv: string[]) => parseFlags(argv, specs, { interspersed: true });
    assert.deepEqual(parse(['-e', 'A']).getStrings('env'), ['A=from-host']);
    assertFlagError(
      () => parse(['-e', '=x']),
      'invalid argument "=x" for "-e, --env" flag: invalid environment variable: =x',
    );
  });

  it('parseFlags() throws pflag error texts for unknown flags', () => {
    assertFlagError(() => run(['--foo']), 'unknown flag: --foo');
    assertFlagError(() => run(['--foo=bar']), 'unknown flag: --foo');
    assertFlagError(() => ps(['x', '--e']), 'unknown flag: --e');
    assertFlagError(() => run(['-x']), "unknown shorthand flag: 'x' in -x");
    assertFlagError(() => run(['-ix']), "unknown shorthand flag: 'x' in -x");
    assertFlagError(() => ps(['-aqz']), "unknown shorthand flag: 'z' in -z");
    assertFlagError(() => ps(['-=']), "unknown shorthand flag: '=' in -=");
    assertFlagError(() => ps(["-'"]), "unknown shorthand flag: '\\'' in -'");
    assertFlagError(() => ps(['-é']), "unknown shorthand flag: 'Ã' in -é");
  });

  it('parseFlags() throws pflag error texts for missing values and bad syntax', () => {
    assertFlagError(() => run(['--name']), 'flag needs an argument: --name');
    assertFlagError(() => run(['-e']), "flag needs an argument: 'e' in -e");
    assertFlagError(() => run(['-ite']), "flag needs an argument: 'e' in -e");
    assertFlagError(() => ps(['-qn']), "flag needs an argument: 'n' in -n");
    assertFlagError(() => ps(['---x']), 'bad flag syntax: ---x');
    assertFlagError(() => ps(['--=x']), 'bad flag syntax: --=x');
    assertFlagError(
      () => ps(['-n', 'abc']),
      'invalid argument "abc" for "-n, --last" flag: strconv.ParseInt: parsing "abc": invalid syntax',
    );
    assertFlagError(
      () => ps(['-n=']),
      'invalid argument "=" for "-n, --last" flag: strconv.ParseInt: parsing "=": invalid syntax',
    );
    assertFlagError(
      () => run(['--rm=maybe']),
      'invalid argument "maybe" for "--rm" flag: strconv.ParseBool: parsing "maybe": invalid syntax',
    );
  });

  it('parseFlags() gives FlagError a kind', () => {
    const kindOf = (argv: string[]): string => {
      try {
        ps(argv);
      } catch (e: unknown) {
        if (e instanceof FlagError) return e.kind;
        throw e;
      }
      return 'none';
    };
    assert.equal(kindOf(['--x']), 'unknown-flag');
    assert.equal(kindOf(['-x']), 'unknown-shorthand');
    assert.equal(kindOf(['-n']), 'needs-argument');
    assert.equal(kindOf(['-n', 'x']), 'invalid-argument');
    assert.equal(kindOf(['---x']), 'bad-syntax');
  });

  it('parseFlags() getters reject undeclared names and other types', () => {
    const flags = ps([]);
    assert.throws(() => flags.getBool('nope'), TypeError);
    assert.throws(() => flags.getString('last'), TypeError);
    assert.throws(() => flags.has('nope'), TypeError);
  });

  it('parseFlags() rejects specs that reuse a name or shorthand', () => {
    const a: FlagSpec = { name: 'a', short: 'x', type: 'bool', usage: '' };
    assert.throws(() => parseFlags([], [a, { ...a, short: 'y' }], { interspersed: true }));
    assert.throws(() => parseFlags([], [a, { ...a, name: 'b' }], { interspersed: true }));
  });
});
