/**
 * The seeds' Dockerfiles (shared/seeds), on the base images we have here:
 * busybox stands in for alpine, debian:bookworm with Debian's packages for the
 * python and node images (no image hub is reachable, Debian's mirrors are).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, TestDaemon, type RunResult } from './harness.js';

const DEBIAN_TAR = path.join(REPO, '.cache/base-images/debian.tar');

describe('seed Dockerfiles', () => {
  let d: TestDaemon;
  const dirs: string[] = [];
  const ctx = async (files: Record<string, string>): Promise<string> => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-seed-'));
    dirs.push(dir);
    for (const [name, content] of Object.entries(files)) {
      await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await fs.writeFile(path.join(dir, name), content);
    }
    return dir;
  };
  const build = (dir: string, args: string[]): Promise<RunResult> =>
    d.docker(['build', ...args, dir], { env: { DOCKER_BUILDKIT: '0' }, timeoutMs: 600_000 });

  before(async () => {
    d = await TestDaemon.start({ busybox: true });
  });
  after(async () => {
    await d?.cleanup();
    for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
  });

  it('Q10: a non-root user runs the image (busybox has no adduser: the user is written to /etc/passwd)', async () => {
    const dir = await ctx({
      'Dockerfile': 'FROM busybox\nRUN echo "appgroup:x:1001:" >> /etc/group && \\\n    echo "appuser:x:1001:1001::/home/appuser:/bin/sh" >> /etc/passwd\nUSER appuser\nCMD ["id"]\n',
    });
    const r = await build(dir, ['-t', 'nonroot']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal((await d.docker(['run', '--rm', 'nonroot'])).stdout, 'uid=1001(appuser) gid=1001(appgroup)\n');
  });

  it('Q10: FROM scratch with a binary copied from a builder stage', async () => {
    const dir = await ctx({
      'Dockerfile': 'FROM busybox AS builder\nRUN mkdir /app && cp /bin/busybox /app/echo\n\n# Use minimal base images\nFROM scratch\nCOPY --from=builder /app/echo /echo\nENTRYPOINT ["/echo", "hello from scratch"]\n',
    });
    const r = await build(dir, ['-t', 'fromscratch']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal((await d.docker(['run', '--rm', 'fromscratch'])).stdout, 'hello from scratch\n');
    const img = JSON.parse((await d.docker(['image', 'inspect', 'fromscratch'])).stdout) as Array<{ RootFS: { Layers: string[] } }>;
    assert.equal(img[0]?.RootFS.Layers.length, 1);
  });

  it('Module 11: the Node multi-stage seed with its trailing "# comment" fails as with Docker\'s legacy builder', async () => {
    const dir = await ctx({
      'Dockerfile': 'FROM busybox as builder\nWORKDIR /usr/src/app\nCOPY package.json ./\nFROM busybox\nWORKDIR /usr/src/app\nCOPY --from=builder /usr/src/app/package.json . # Needed for `npm start`\n',
      'package.json': '{}',
    });
    const r = await build(dir, []);
    assert.notEqual(r.code, 0);
    // Docker has no end-of-line comments: "#" is one more source, which does not exist
    assert.match(r.stderr, /COPY failed: file not found in build context or excluded by .dockerignore: stat #: file does not exist/);
  });

  it('Day 10 / Module 12: a Flask app on debian:bookworm with packages from Debian, as a non-root user', async () => {
    assert.ok(existsSync(DEBIAN_TAR), 'scripts/test.sh builds the debian base image (scripts/base-images.sh)');
    assert.equal((await d.docker(['import', '--change', 'CMD ["bash"]', DEBIAN_TAR, 'debian:bookworm'], { timeoutMs: 120_000 })).code, 0);
    const dir = await ctx({
      'Dockerfile': [
        'FROM debian:bookworm',
        'RUN apt-get update && apt-get install -y --no-install-recommends python3-flask \\',
        '    && rm -rf /var/lib/apt/lists/*',
        'WORKDIR /app',
        'COPY requirements.txt .',
        'COPY . .',
        'RUN useradd --create-home appuser',
        'USER appuser',
        'EXPOSE 5000',
        'CMD ["python3", "app.py"]',
      ].join('\n'),
      'requirements.txt': 'Flask\n',
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n@app.route("/")\ndef hello():\n    return "Hello from Flask!"\nif __name__ == "__main__":\n    with app.test_client() as c:\n        print(c.get("/").data.decode())\n',
      '.dockerignore': '__pycache__\n*.pyc\n',
      '__pycache__/x.pyc': 'junk',
    });
    const r = await build(dir, ['-t', 'my-flask-app:1.0']);
    assert.equal(r.code, 0, r.stderr + r.stdout.slice(-3000));
    const run = await d.docker(['run', '--rm', 'my-flask-app:1.0']);
    assert.equal(run.stdout, 'Hello from Flask!\n', run.stderr);
    assert.equal((await d.docker(['run', '--rm', 'my-flask-app:1.0', 'sh', '-c', 'whoami; ls /app'])).stdout, 'appuser\nDockerfile\napp.py\nrequirements.txt\n');
    const again = await build(dir, ['-t', 'my-flask-app:1.0']);
    assert.equal(again.stdout.match(/Using cache/g)?.length, 8, again.stdout);
  });
});
