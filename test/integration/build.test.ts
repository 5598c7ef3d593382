/**
 * The image builder through the official docker CLI (legacy builder API) and
 * the berth CLI, with the real runtime: instructions, cache, multi-stage,
 * .dockerignore, failures, hostile contexts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { BERTH, exec, TestDaemon, type RunResult } from './harness.js';

const LEGACY = { DOCKER_BUILDKIT: '0' };

async function context(files: Record<string, string>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-build-ctx-'));
  for (const [name, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await fs.writeFile(path.join(dir, name), content);
  }
  return dir;
}

function steps(out: string): string[] {
  return out.split('\n').filter((l) => /^Step \d+\/\d+ : /.test(l));
}

describe('image builder', () => {
  let d: TestDaemon;
  const dirs: string[] = [];
  const ctx = async (files: Record<string, string>): Promise<string> => {
    const dir = await context(files);
    dirs.push(dir);
    return dir;
  };
  const build = (dir: string, args: string[] = []): Promise<RunResult> => d.docker(['build', ...args, dir], { env: LEGACY, timeoutMs: 180_000 });
  const inspect = async (ref: string): Promise<{ Id: string; Config: Record<string, unknown>; Author?: string; RootFS: { Layers: string[] } }> =>
    (JSON.parse((await d.docker(['image', 'inspect', ref])).stdout) as Array<{ Id: string; Config: Record<string, unknown>; RootFS: { Layers: string[] } }>)[0] ?? assert.fail(`no image ${ref}`);

  before(async () => {
    d = await TestDaemon.start({ busybox: true });
  });
  after(async () => {
    await d?.cleanup();
    for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
  });

  it('docker build -t builds with the legacy builder\'s output, and the image runs with its config', async () => {
    const dir = await ctx({
      'Dockerfile': [
        'FROM busybox',
        'LABEL org.example.app="demo app" version=1',
        'ENV APP_HOME=/srv/app GREETING="hello there"',
        'WORKDIR $APP_HOME',
        'COPY app.sh ./',
        'RUN chmod +x app.sh && echo "built in $PWD" && echo "$GREETING" > greeting.txt',
        'EXPOSE 8080 9000/udp',
        'VOLUME /data',
        'USER 1000:1000',
        'STOPSIGNAL SIGINT',
        'HEALTHCHECK --interval=30s --timeout=3s --retries=2 CMD wget -q -O- localhost:8080 || exit 1',
        'ONBUILD RUN echo triggered',
        'ENTRYPOINT ["./app.sh"]',
        'CMD ["world"]',
      ].join('\n'),
      'app.sh': '#!/bin/sh\necho "$(cat /srv/app/greeting.txt), $1 (uid $(id -u))"\n',
    });
    const r = await build(dir, ['-t', 'demo:1.0']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /^Sending build context to Docker daemon/m);
    assert.equal(steps(r.stdout)[0], 'Step 1/14 : FROM busybox');
    assert.ok(steps(r.stdout).includes('Step 6/14 : RUN chmod +x app.sh && echo "built in $PWD" && echo "$GREETING" > greeting.txt'));
    assert.match(r.stdout, /^ ---> Running in [0-9a-f]{12}\nbuilt in \/srv\/app\n/m);
    assert.match(r.stdout, /^Successfully built [0-9a-f]{12}\nSuccessfully tagged demo:1.0\n$/m);
    const run = await d.docker(['run', '--rm', 'demo:1.0']);
    assert.equal(run.stdout, 'hello there, world (uid 1000)\n');
    const img = await inspect('demo:1.0');
    const c = img.Config;
    assert.deepEqual(c['Env'], ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'APP_HOME=/srv/app', 'GREETING=hello there']);
    assert.equal(c['WorkingDir'], '/srv/app');
    assert.deepEqual(c['Entrypoint'], ['./app.sh']);
    assert.deepEqual(c['Cmd'], ['world']);
    assert.deepEqual(c['ExposedPorts'], { '8080/tcp': {}, '9000/udp': {} });
    assert.deepEqual(c['Volumes'], { '/data': {} });
    assert.equal(c['User'], '1000:1000');
    assert.equal(c['StopSignal'], 'SIGINT');
    assert.deepEqual(c['Labels'], { 'org.example.app': 'demo app', version: '1' });
    assert.deepEqual(c['OnBuild'], ['RUN echo triggered']);
    assert.deepEqual(c['Healthcheck'], { Test: ['CMD-SHELL', 'wget -q -O- localhost:8080 || exit 1'], Interval: 30_000_000_000, Timeout: 3_000_000_000, Retries: 2 });
    assert.equal(img.RootFS.Layers.length, 4, 'busybox, WORKDIR (made /srv/app), COPY and RUN make layers; the rest is config');
    // WORKDIR makes its directory even when nothing uses it, owned by the USER; an existing one adds no layer
    const wd = await ctx({ 'Dockerfile': 'FROM busybox\nUSER 1000:1000\nWORKDIR /data/app\nWORKDIR /tmp\n' });
    assert.equal((await build(wd, ['-t', 'workdir'])).code, 0);
    assert.equal((await d.docker(['run', '--rm', 'workdir', 'stat', '-c', '%u:%g', '/data/app'])).stdout, '1000:1000\n');
    assert.equal((await inspect('workdir')).RootFS.Layers.length, 2);
    const history = (await d.docker(['history', '--no-trunc', '--format', '{{.CreatedBy}}\t{{.Size}}', 'demo:1.0'])).stdout.split('\n');
    assert.match(history[0] ?? '', /^CMD \["world"\]\t0B$/);
    assert.ok(history.some((h) => /^RUN \/bin\/sh -c chmod \+x app.sh .* # buildkit\t/.test(h)), history.join('\n'));
    assert.ok(history.some((h) => /^COPY app.sh \.\/ # buildkit\t/.test(h)), history.join('\n'));
    // ONBUILD triggers run in a child build
    const child = await ctx({ 'Dockerfile': 'FROM demo:1.0\nUSER root\n' });
    const cr = await build(child, ['-t', 'child']);
    assert.equal(cr.code, 0, cr.stderr);
    assert.match(cr.stdout, /# Executing 1 build trigger\n[\s\S]*triggered\n/);
    assert.equal((await inspect('child')).Config['OnBuild'], null);
  });

  it('a rebuild with nothing changed is all cache hits with the same image ID; a changed file rebuilds from its COPY on', async () => {
    const dir = await ctx({
      'Dockerfile': 'FROM busybox\nRUN echo slow step > /slow.txt\nCOPY a.txt /a.txt\nRUN cat /a.txt > /copy.txt\nCMD ["cat", "/copy.txt"]\n',
      'a.txt': 'one\n',
    });
    const first = await build(dir, ['-t', 'cached']);
    assert.equal(first.code, 0, first.stderr);
    const id1 = (await inspect('cached')).Id;
    const started = Date.now();
    const second = await build(dir, ['-t', 'cached']);
    const elapsed = Date.now() - started;
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout.match(/ ---> Using cache/g)?.length, 4, second.stdout);
    assert.equal((await inspect('cached')).Id, id1);
    assert.ok(elapsed < 3000, `a cached rebuild took ${elapsed} ms`);
    await fs.writeFile(path.join(dir, 'a.txt'), 'two\n');
    const third = await build(dir, ['-t', 'cached']);
    assert.equal(third.stdout.match(/ ---> Using cache/g)?.length, 1, 'only the RUN before the COPY is cached');
    assert.equal((await d.docker(['run', '--rm', 'cached'])).stdout, 'two\n');
    const nocache = await build(dir, ['--no-cache', '-t', 'cached']);
    assert.equal(nocache.stdout.includes('Using cache'), false);
    const staged = await ctx({ 'Dockerfile': 'FROM busybox AS base\nRUN echo base > /b\nFROM base AS app\nRUN echo app > /a\n' });
    assert.equal((await d.berth(['build', '-q', staged])).code, 0);
    const filtered = await d.berth(['build', '--progress=plain', '--no-cache-filter', 'app', staged]);
    assert.match(filtered.stderr, /RUN echo base > \/b\n#\d+ CACHED/);
    assert.match(filtered.stderr, /RUN echo app > \/a\n#\d+ DONE/);
  });

  it('the step cache survives a daemon restart', async () => {
    const dir = await ctx({ 'Dockerfile': 'FROM busybox\nRUN echo restart-proof > /r.txt\n' });
    assert.equal((await build(dir, ['-t', 'restart'])).code, 0);
    await d.stopDaemon();
    await d.launch();
    const again = await build(dir, ['-t', 'restart']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /RUN echo restart-proof > \/r.txt\n ---> Using cache\n/);
  });

  it('a daemon killed in the middle of a build leaves no scratch files, mounts or writable layers once restarted', async () => {
    const dir = await ctx({ 'Dockerfile': 'FROM busybox AS other\nRUN echo x > /x\nFROM busybox\nRUN --mount=type=bind,from=other,target=/m sleep 20\n' });
    const building = build(dir, ['-t', 'interrupted']);
    const tmp = path.join(d.dataRoot, 'build', 'tmp');
    for (let i = 0; i < 100; i++) {
      const running = (await d.docker(['ps', '-q'])).stdout.trim();
      if (running !== '') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal((await fs.readdir(tmp)).length, 1, 'a build is running');
    await d.stopDaemon('SIGKILL');
    assert.notEqual((await building).code, 0);
    await d.launch();
    assert.deepEqual(await fs.readdir(tmp), []);
    const mounts = await fs.readFile('/proc/self/mountinfo', 'utf8');
    assert.doesNotMatch(mounts, new RegExp(tmp.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
    const snapshots = path.join(d.dataRoot, 'snapshots');
    for (const n of await fs.readdir(snapshots)) {
      const rec = await fs.readFile(path.join(snapshots, n, 'snapshot.json'), 'utf8').catch(() => '{}');
      assert.doesNotMatch(rec, /"key":\s*"build-/, `snapshot ${n} is a leftover build layer`);
    }
    await d.docker(['rm', '-f', ...(await d.docker(['ps', '-aq'])).stdout.split('\n').filter(Boolean)]);
  });

  it('a failing RUN stops the build with its output and exit code, and tags nothing', async () => {
    const dir = await ctx({ 'Dockerfile': 'FROM busybox\nRUN echo before the failure && exit 3\nRUN echo never\n' });
    const r = await build(dir, ['-t', 'broken']);
    assert.equal(r.code, 3);
    assert.match(r.stdout, /before the failure\n/);
    assert.doesNotMatch(r.stdout, /never\n/);
    assert.match(r.stderr, /The command '\/bin\/sh -c echo before the failure && exit 3' returned a non-zero code: 3/);
    assert.notEqual((await d.docker(['image', 'inspect', 'broken'])).code, 0);
    assert.equal((await d.docker(['ps', '-aq'])).stdout, '', 'no build container is left');
    const berth = await d.berth(['build', '-t', 'broken', dir]);
    assert.equal(berth.code, 3);
    assert.match(berth.stderr, /ERROR: failed to solve: The command '\/bin\/sh -c echo before the failure && exit 3' returned a non-zero code: 3/);
  });

  it('syntax errors name the line in Docker\'s words', async () => {
    const dir = await ctx({ 'Dockerfile': 'FROM busybox\n\nFORM busybox\n' });
    const r = await build(dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Error response from daemon: dockerfile parse error on line 3: unknown instruction: FORM/);
    const missing = await build(dir, ['-f', path.join(dir, 'Nope')]);
    assert.notEqual(missing.code, 0);
  });

  it('.dockerignore and <Dockerfile>.dockerignore keep files out of the context, with ! exceptions', async () => {
    const dir = await ctx({
      'Dockerfile': 'FROM busybox\nCOPY . /ctx\nRUN cd /ctx && find . -type f | sort\n',
      'Dockerfile.special': 'FROM busybox\nCOPY . /ctx\nRUN cd /ctx && find . -type f | sort\n',
      '.dockerignore': 'node_modules\n**/*.log\n!keep.log\nsecret.env\n',
      'Dockerfile.special.dockerignore': '*.txt\n',
      'app.js': 'x', 'notes.txt': 'n', 'secret.env': 'S', 'keep.log': 'k', 'logs/debug.log': 'd', 'node_modules/dep/index.js': 'm',
    });
    const r = await build(dir, ['-t', 'ignored']);
    assert.equal(r.code, 0, r.stderr);
    const files = r.stdout.split('\n').filter((l) => l.startsWith('./'));
    assert.deepEqual(files, ['./.dockerignore', './Dockerfile', './Dockerfile.special', './Dockerfile.special.dockerignore', './app.js', './keep.log', './notes.txt']);
    // The docker CLI applies .dockerignore itself; the berth CLI sends everything and the daemon filters.
    const special = await d.berth(['build', '--progress=plain', '-f', path.join(dir, 'Dockerfile.special'), '-t', 'ignored2', dir]);
    assert.equal(special.code, 0, special.stderr);
    const files2 = special.stderr.split('\n').map((l) => l.replace(/^#\d+ \d+\.\d+ /, '')).filter((l) => l.startsWith('./'));
    assert.ok(!files2.includes('./notes.txt') && files2.includes('./secret.env') && files2.includes('./node_modules/dep/index.js'), files2.join(' '));
  });

  it('multi-stage: only the stages the target needs run, independent ones at the same time, --target stops early', async () => {
    const dir = await ctx({
      'Dockerfile': [
        'ARG BASE=busybox',
        'FROM ${BASE} AS deps',
        'RUN sleep 2 && echo deps > /deps.txt',
        'FROM ${BASE} AS assets',
        'RUN sleep 2 && echo assets > /assets.txt',
        'FROM busybox AS broken',
        'RUN exit 7',
        'FROM busybox',
        'COPY --from=deps /deps.txt /app/',
        'COPY --from=1 /assets.txt /app/',
        'CMD ["cat", "/app/deps.txt", "/app/assets.txt"]',
      ].join('\n'),
    });
    const started = Date.now();
    const r = await build(dir, ['-t', 'multi']);
    const elapsed = Date.now() - started;
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.doesNotMatch(r.stdout, /exit 7/, 'the unused stage is not built');
    assert.ok(elapsed < 3900, `two 2 s stages ran one after the other (${elapsed} ms)`);
    assert.equal((await d.docker(['run', '--rm', 'multi'])).stdout, 'deps\nassets\n');
    const t = await build(dir, ['--target', 'assets', '-t', 'only-assets']);
    assert.equal(t.code, 0, t.stderr);
    assert.equal(steps(t.stdout).length, 2);
    assert.equal((await d.docker(['run', '--rm', 'only-assets', 'cat', '/assets.txt'])).stdout, 'assets\n');
    const bad = await build(dir, ['--target', 'nope']);
    assert.match(bad.stderr, /failed to reach build target nope in Dockerfile/);
  });

  it('build args: ARG before FROM, defaults, --build-arg, scoping per stage, ENV wins over ARG, unused args warned about', async () => {
    const dir = await ctx({
      'Dockerfile': [
        'ARG TAG=latest',
        'FROM busybox:${TAG}',
        'RUN echo "global in stage: [${TAG}]"',
        'ARG TAG',
        'ARG MODE=debug',
        'ENV LEVEL=${MODE:-none}',
        'ARG LEVEL=from-arg',
        'RUN echo "tag=$TAG mode=$MODE level=$LEVEL"',
      ].join('\n'),
    });
    const r = await build(dir, ['--build-arg', 'MODE=release', '--build-arg', 'UNUSED=1', '-t', 'args']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /global in stage: \[\]\n/);
    assert.match(r.stdout, /tag=latest mode=release level=release\n/);
    assert.match(r.stdout, /\[Warning\] One or more build-args \[UNUSED\] were not consumed/);
    assert.ok(((await inspect('args')).Config['Env'] as string[]).includes('LEVEL=release'));
    assert.ok(!((await inspect('args')).Config['Env'] as string[]).some((e) => e.startsWith('MODE=')), 'ARG values do not stay in the image');
  });

  it('RUN --network=none, platform ARGs, FROM --platform', async () => {
    const dir = await ctx({
      'Dockerfile': [
        'FROM --platform=$BUILDPLATFORM busybox',
        'ARG TARGETARCH',
        'ARG TARGETPLATFORM',
        'RUN echo "arch=$TARGETARCH platform=$TARGETPLATFORM"',
        'RUN --network=none ip -o link | grep -c -v "lo:" || true',
      ].join('\n'),
    });
    const r = await build(dir, ['-t', 'netsec']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const arch = process.arch === 'x64' ? 'amd64' : process.arch;
    assert.match(r.stdout, new RegExp(`arch=${arch} platform=linux/${arch}\n`));
    assert.match(r.stdout, /ip -o link .*\n ---> Running in \w+\n0\n/);
    const wrong = await ctx({ 'Dockerfile': `FROM --platform=linux/${arch === 'arm64' ? 'amd64' : 'arm64'} busybox\nRUN true\n` });
    const w = await build(wrong, []);
    assert.notEqual(w.code, 0);
    assert.match(w.stderr, /does not match the specified platform/);
  });

  it('COPY and ADD: globs, directories, --chown/--chmod, heredocs, local tar archives unpacked', async () => {
    const dir = await ctx({
      'Dockerfile': [
        'FROM busybox',
        'COPY *.conf /etc/app/',
        'COPY src /app/src',
        'COPY --chown=1000:1000 --chmod=640 src/main.sh /owned.sh',
        'COPY <<EOF /etc/motd',
        'welcome to $HOSTNAME_NOT_SET-x',
        'EOF',
        'ADD bundle.tar /opt/',
        'RUN <<SCRIPT',
        'set -e',
        'ls /etc/app | tr "\\n" " "; echo',
        'cat /app/src/main.sh /app/src/lib/util.sh',
        'stat -c "%u:%g %a" /owned.sh',
        'cat /etc/motd',
        'cat /opt/bundled/inside.txt',
        'SCRIPT',
      ].join('\n'),
      'a.conf': 'a', 'b.conf': 'b', 'c.txt': 'c', 'src/main.sh': 'echo main\n', 'src/lib/util.sh': 'echo util\n',
    });
    const bundle = path.join(dir, 'stage');
    await fs.mkdir(path.join(bundle, 'bundled'), { recursive: true });
    await fs.writeFile(path.join(bundle, 'bundled', 'inside.txt'), 'from the archive\n');
    // the archive's owners are kept, and its symlink to / does not lead outside the image
    const owned = path.join(bundle, 'bundled', 'owned.txt');
    await fs.writeFile(owned, 'o');
    await fs.chown(owned, 4242, 4343);
    await fs.symlink('/', path.join(bundle, 'bundled', 'root'));
    assert.equal((await exec('tar', ['-C', bundle, '-cf', path.join(dir, 'bundle.tar'), 'bundled'])).code, 0);
    const r = await build(dir, ['-t', 'copies']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal((await d.docker(['run', '--rm', 'copies', 'stat', '-c', '%u:%g', '/opt/bundled/owned.txt'])).stdout, '4242:4343\n');
    assert.equal((await d.docker(['run', '--rm', 'copies', 'readlink', '/opt/bundled/root'])).stdout, '/\n');
    assert.match(r.stdout, /a.conf b.conf \necho main\necho util\n1000:1000 640\nwelcome to -x\nfrom the archive\n/);
  });

  it('RUN --mount=type=cache keeps its content across builds; whiteouts remove files of lower layers', async () => {
    const dir = await ctx({
      'Dockerfile': [
        'FROM busybox',
        'RUN --mount=type=cache,target=/var/cache/app echo run >> /var/cache/app/runs && wc -l < /var/cache/app/runs',
        'RUN rm -rf /etc/network && mkdir -p /etc/network && touch /etc/network/fresh && rm /bin/vi',
      ].join('\n'),
    });
    const first = await build(dir, ['-t', 'mounts']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^1$/m);
    const second = await build(dir, ['--no-cache', '-t', 'mounts']);
    assert.match(second.stdout, /^2$/m);
    const check = await d.docker(['run', '--rm', 'mounts', 'sh', '-c', 'ls /etc/network; ls /bin/vi 2>&1; ls /var/cache/app 2>&1 | head -1']);
    assert.match(check.stdout, /^fresh\n.*No such file or directory\n/);
  });

  it('the berth CLI shows BuildKit-style plain progress with CACHED, and -q prints only the ID', async () => {
    const dir = await ctx({ 'Dockerfile': 'FROM busybox\nRUN echo from-berth\n' });
    const r = await d.berth(['build', '--progress=plain', '-t', 'viaberth', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /#\d+ \[2\/2\] RUN echo from-berth\n#\d+ \d+\.\d{3} from-berth\n#\d+ DONE \d+\.\ds/);
    assert.match(r.stderr, /naming to viaberth:latest done/);
    const again = await d.berth(['build', '-t', 'viaberth', dir]);
    assert.match(again.stderr, /#\d+ \[2\/2\] RUN echo from-berth\n#\d+ CACHED/);
    const q = await d.berth(['build', '-q', dir]);
    assert.equal(q.code, 0);
    assert.match(q.stdout, /^sha256:[0-9a-f]{64}\n$/);
    assert.equal(q.stderr, '');
    const stdin = await d.berth(['build', '-q', '-'], { input: 'FROM busybox\nLABEL from=stdin\n' });
    assert.equal(stdin.code, 0, stdin.stderr);
    // on a terminal: the live view, redrawn in place, ending FINISHED
    const tty = await exec('script', ['-qec', `${BERTH} build -t viatty ${dir}`, '/dev/null'], { env: { ...process.env, BERTH_HOST: d.host, COLUMNS: '100' } });
    assert.equal(tty.code, 0, tty.stdout);
    assert.match(tty.stdout, /\[\+\] Building \d+\.\ds \(2\/2\) FINISHED/);
    assert.match(tty.stdout, / => CACHED \[2\/2\] RUN echo from-berth/);
  });

  it('a hostile context never writes outside, and COPY through a symlink stays inside the context', async () => {
    // a tar member with ../
    const raw = Buffer.alloc(1536);
    raw.write('../escaped.txt', 0);
    raw.write('0000644\0', 100); raw.write('0000000\0', 108); raw.write('0000000\0', 116);
    raw.write('00000000001\0', 124); raw.write('00000000000\0', 136); raw.write('0', 156); raw.write('ustar\u000000', 257);
    raw.fill(' ', 148, 156);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += raw[i] ?? 0;
    raw.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    raw.write('x', 512);
    const res = await d.request('POST', '/v1.47/build?t=evil', raw, { 'Content-Type': 'application/x-tar' });
    assert.equal(res.status, 400, res.body);
    assert.match(res.body, /leaves the context/);
    assert.equal(existsSync(path.join(d.dataRoot, 'build', 'escaped.txt')), false);
    assert.deepEqual(await fs.readdir(path.join(d.dataRoot, 'build', 'tmp')), []);
    const dir = await ctx({ 'Dockerfile': 'FROM busybox\nCOPY link/passwd /stolen\n' });
    await fs.symlink('/etc', path.join(dir, 'link'));
    const r = await build(dir);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /file not found in build context/);
  });

  it('RUN --mount=type=secret sees a --secret that never reaches a layer or the history; COPY --parents keeps source paths', async () => {
    const dir = await ctx({
      'Dockerfile': [
        'FROM busybox',
        'RUN --mount=type=secret,id=token wc -c < /run/secrets/token && stat -c "%a %u" /run/secrets/token',
        'RUN --mount=type=secret,id=token,env=TOKEN echo "env-ok ${#TOKEN}"',
        'RUN --mount=type=secret,id=absent ls /run/secrets 2>&1 | head -1',
        'COPY --parents a/b/c.txt /out/',
      ].join('\n'),
      'token.txt': 's3cr3t-value',
      'a/b/c.txt': 'deep',
    });
    const r = await d.berth(['build', '--progress=plain', '--secret', `id=token,src=${path.join(dir, 'token.txt')}`, '-t', 'secrets', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, / 12\n#\d+ [\d.]+ 400 0\n/);
    assert.match(r.stderr, /env-ok 12\n/);
    const check = await d.docker(['run', '--rm', 'secrets', 'sh', '-c', 'ls /run/secrets 2>&1; cat /out/a/b/c.txt']);
    assert.match(check.stdout, /No such file or directory\ndeep$/);
    const history = await d.docker(['history', '--no-trunc', 'secrets']);
    assert.doesNotMatch(history.stdout, /s3cr3t/);
    const blobs = path.join(d.dataRoot, 'content', 'blobs', 'sha256');
    for (const b of await fs.readdir(blobs)) {
      const z = await exec('sh', ['-c', `(gzip -dc ${path.join(blobs, b)} 2>/dev/null || cat ${path.join(blobs, b)}) | grep -c s3cr3t-value`]);
      assert.equal(z.stdout.trim(), '0', `blob ${b} holds the secret`);
    }
    const required = await ctx({ 'Dockerfile': 'FROM busybox\nRUN --mount=type=secret,id=nope,required=true true\n' });
    const fail = await d.berth(['build', required]);
    assert.notEqual(fail.code, 0);
    assert.match(fail.stderr, /secret nope: not found/);
  });

  it('remote contexts: a tar URL (docker CLI) and a git repository over HTTP with #ref:subdir (berth CLI); ADD of a git repository and a URL', async () => {
    const site = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-remote-'));
    dirs.push(site);
    const src = await ctx({ 'Dockerfile': 'FROM busybox\nCOPY hello.txt /\nCMD ["cat", "/hello.txt"]\n', 'hello.txt': 'from a tar URL\n' });
    assert.equal((await exec('tar', ['-C', src, '-czf', path.join(site, 'ctx.tar.gz'), '.'])).code, 0);
    const repo = path.join(site, 'work');
    await fs.mkdir(path.join(repo, 'app'), { recursive: true });
    await fs.writeFile(path.join(repo, 'app', 'Dockerfile'), 'FROM busybox\nCOPY msg /\nCMD ["cat", "/msg"]\n');
    await fs.writeFile(path.join(repo, 'app', 'msg'), 'from git\n');
    const git = (args: string[]): Promise<RunResult> => exec('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args]);
    assert.equal((await git(['-C', repo, 'init', '-q', '-b', 'release'])).code, 0);
    assert.equal((await git(['-C', repo, 'add', '.'])).code, 0);
    assert.equal((await git(['-C', repo, 'commit', '-q', '-m', 'app'])).code, 0);
    assert.equal((await git(['clone', '-q', '--bare', repo, path.join(site, 'repo.git')])).code, 0);
    assert.equal((await git(['-C', path.join(site, 'repo.git'), 'update-server-info'])).code, 0);
    const server = http.createServer((req, res) => {
      const file = path.join(site, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
      fs.readFile(file).then((data) => res.end(data), () => { res.statusCode = 404; res.end(); });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const t = await d.docker(['build', '-t', 'fromurl', `http://127.0.0.1:${port}/ctx.tar.gz`], { env: LEGACY });
      assert.equal(t.code, 0, t.stderr + t.stdout);
      assert.equal((await d.docker(['run', '--rm', 'fromurl'])).stdout, 'from a tar URL\n');
      const g = await d.berth(['build', '-t', 'fromgit', `http://127.0.0.1:${port}/repo.git#release:app`]);
      assert.equal(g.code, 0, g.stderr);
      assert.equal((await d.docker(['run', '--rm', 'fromgit'])).stdout, 'from git\n');
      const add = await ctx({ 'Dockerfile': `FROM busybox\nADD http://127.0.0.1:${port}/repo.git#release:app /src/\nADD http://127.0.0.1:${port}/work/app/msg /dl/\n` });
      const a = await build(add, ['-t', 'addgit']);
      assert.equal(a.code, 0, a.stderr + a.stdout);
      assert.equal((await d.docker(['run', '--rm', 'addgit', 'sh', '-c', 'ls /src; cat /src/msg; stat -c %a /dl/msg'])).stdout, 'Dockerfile\nmsg\nfrom git\n600\n');
      const missing = await d.docker(['build', `http://127.0.0.1:${port}/nope.tar`], { env: LEGACY });
      assert.notEqual(missing.code, 0);
      assert.match(missing.stderr, /unable to download remote context .*404/);
    } finally {
      server.close();
    }
  });

  it('builder prune drops the cache', async () => {
    const dir = await ctx({ 'Dockerfile': 'FROM busybox\nRUN echo prune-me > /p\n' });
    assert.equal((await build(dir, ['-t', 'pruned'])).code, 0);
    const p = await d.docker(['builder', 'prune', '-f'], { env: LEGACY });
    assert.equal(p.code, 0, p.stderr);
    assert.match(p.stdout, /Total:?\s|Total reclaimed space/);
    const again = await build(dir, ['-t', 'pruned']);
    assert.doesNotMatch(again.stdout, /Using cache/);
    assert.equal((await d.docker(['run', '--rm', 'pruned', 'cat', '/p'])).stdout, 'prune-me\n');
  });
});
