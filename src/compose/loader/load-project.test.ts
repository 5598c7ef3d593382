import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { toComposeYaml } from '../canonical-output.js';
import { loadProject, type LoadOptions } from './load-project.js';

function project(files: Record<string, string>, dirName = 'My_App'): string {
  const root = path.join(mkdtempSync(path.join(os.tmpdir(), 'compose-')), dirName);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

const load = (cwd: string, more: Partial<LoadOptions> = {}) => loadProject({ env: {}, cwd, ...more });
const svc = (p: ReturnType<typeof load>, name: string): Record<string, unknown> => (p.model['services'] as Record<string, Record<string, unknown>>)[name] ?? {};

const FLASK_REDIS = `version: '3.8'
services:
  web:
    build: .
    ports:
      - "8000:5000"
    environment:
      REDIS_HOST: redis
    depends_on:
      - redis
  redis:
    image: "redis:alpine"
`;

test('loadProject() prints the Flask + Redis seed as docker compose v2 does', () => {
  const dir = project({ 'docker-compose.yml': FLASK_REDIS }, 'my-first-compose-app');
  const p = load(dir);
  assert.equal(toComposeYaml(p.model), `name: my-first-compose-app
services:
  redis:
    image: redis:alpine
    networks:
      default: null
  web:
    build:
      context: ${dir}
      dockerfile: Dockerfile
    depends_on:
      redis:
        condition: service_started
        required: true
    environment:
      REDIS_HOST: redis
    networks:
      default: null
    ports:
      - mode: ingress
        target: 5000
        published: "8000"
        protocol: tcp
networks:
  default:
    name: my-first-compose-app_default
`);
});

test('loadProject() loads Nginx + Flask + Postgres on two networks with a named volume', () => {
  const dir = project({
    'compose.yaml': `services:
  nginx:
    image: nginx:latest
    ports: ["8080:80"]
    volumes: ["./nginx.conf:/etc/nginx/conf.d/default.conf:ro"]
    networks: [web_network]
    depends_on: [backend]
  backend:
    build: ./backend
    networks: [web_network, db_network]
    depends_on: [db]
  db:
    image: postgres:15
    environment:
      - POSTGRES_PASSWORD=secret
    volumes:
      - pgdata:/var/lib/postgresql/data
    networks:
      - db_network
volumes:
  pgdata:
networks:
  web_network:
  db_network:
`,
  });
  const p = load(dir);
  assert.equal(p.name, 'my_app');
  assert.deepEqual(svc(p, 'backend')['networks'], { db_network: null, web_network: null });
  assert.deepEqual(svc(p, 'nginx')['volumes'], [{ type: 'bind', source: path.join(dir, 'nginx.conf'), target: '/etc/nginx/conf.d/default.conf', read_only: true, bind: { create_host_path: true } }]);
  assert.deepEqual(p.model['networks'], { web_network: { name: 'my_app_web_network' }, db_network: { name: 'my_app_db_network' } });
  assert.deepEqual(p.model['volumes'], { pgdata: { name: 'my_app_pgdata' } });
  assert.deepEqual(svc(p, 'db')['environment'], { POSTGRES_PASSWORD: 'secret' });
});

test('loadProject() loads a health-checked database with depends_on service_healthy', () => {
  const dir = project({
    'compose.yml': `services:
  app:
    image: app
    depends_on:
      db:
        condition: service_healthy
  db:
    image: postgres
    healthcheck:
      test: pg_isready -U postgres
      interval: 90s
      timeout: 500ms
      retries: 5
`,
  });
  const p = load(dir);
  assert.deepEqual(svc(p, 'app')['depends_on'], { db: { condition: 'service_healthy', required: true } });
  assert.deepEqual(svc(p, 'db')['healthcheck'], { test: ['CMD-SHELL', 'pg_isready -U postgres'], interval: '1m30s', timeout: '500ms', retries: 5 });
});

test('loadProject() merges the override file and several -f files with compose v2 rules', () => {
  const dir = project({
    'compose.yaml': `services:
  web:
    image: a
    command: python app.py
    ports: ["8000:5000"]
    environment: [A=1, B=2]
    volumes: ["./src:/app"]
    labels: {x: "1"}
`,
    'compose.override.yaml': `services:
  web:
    command: ["flask", "run"]
    ports: ["8000:5000", "9000:9000"]
    environment: {B: "3", C: "4"}
    volumes: ["./other:/app"]
`,
    'prod.yaml': 'services:\n  web:\n    image: b\n',
  });
  const p = load(dir);
  assert.deepEqual(p.configFiles, [path.join(dir, 'compose.yaml'), path.join(dir, 'compose.override.yaml')]);
  const web = svc(p, 'web');
  assert.deepEqual(web['command'], ['flask', 'run']);
  assert.deepEqual((web['ports'] as Array<{ published: string }>).map((x) => x.published), ['8000', '9000']);
  assert.deepEqual(web['environment'], { A: '1', B: '3', C: '4' });
  assert.deepEqual((web['volumes'] as Array<{ source: string }>).map((v) => v.source), [path.join(dir, 'other')]);
  const two = load(dir, { configFiles: ['compose.yaml', 'prod.yaml'] });
  assert.equal(svc(two, 'web')['image'], 'b');
  assert.deepEqual(svc(two, 'web')['command'], ['python', 'app.py']);
});

test('loadProject() takes the project name from -p, COMPOSE_PROJECT_NAME, name: or the directory', () => {
  const dir = project({ 'compose.yaml': 'name: from-file\nservices:\n  a:\n    image: x\n', '.env': 'COMPOSE_PROJECT_NAME=from-dotenv\n' });
  assert.equal(load(dir, { projectName: 'cli' }).name, 'cli');
  assert.equal(load(dir, { env: { COMPOSE_PROJECT_NAME: 'from-env' } }).name, 'from-env');
  assert.equal(load(dir).name, 'from-dotenv');
  const noenv = project({ 'compose.yaml': 'name: from-file\nservices:\n  a:\n    image: x\n' });
  assert.equal(load(noenv).name, 'from-file');
  assert.throws(() => load(dir, { projectName: 'Bad Name' }), /invalid project name "Bad Name"/);
});

test('loadProject() interpolates from .env, --env-file and the environment (which wins)', () => {
  const dir = project({
    'compose.yaml': 'services:\n  web:\n    image: "${IMG}:${TAG:-latest}"\n    ports: ["${PORT}:80"]\n',
    '.env': 'IMG=nginx\nPORT=8080\n',
    'prod.env': 'IMG=httpd\nPORT=80\nTAG=2\n',
  });
  assert.equal(svc(load(dir), 'web')['image'], 'nginx:latest');
  assert.equal(svc(load(dir, { env: { IMG: 'caddy' } }), 'web')['image'], 'caddy:latest');
  assert.equal(svc(load(dir, { envFiles: ['prod.env'] }), 'web')['image'], 'httpd:2');
  const warnings: string[] = [];
  const bare = project({ 'compose.yaml': 'services:\n  web:\n    image: "x${MISSING}"\n' });
  assert.equal(svc(load(bare, { warn: (m) => warnings.push(m) }), 'web')['image'], 'x');
  assert.deepEqual(warnings, ['The "MISSING" variable is not set. Defaulting to a blank string.']);
  const obsolete: string[] = [];
  load(project({ 'compose.yaml': "version: '3.8'\nservices:\n  a:\n    image: x\n" }), { warn: (m) => obsolete.push(m) });
  assert.match(obsolete[0] ?? '', /compose.yaml: the attribute `version` is obsolete, it will be ignored, please remove it to avoid potential confusion$/);
});

test('loadProject() applies --profile and COMPOSE_PROFILES', () => {
  const dir = project({ 'compose.yaml': 'services:\n  app:\n    image: a\n  debug:\n    image: d\n    profiles: [debug]\n  test:\n    image: t\n    profiles: [test]\n' });
  assert.deepEqual(Object.keys(load(dir).model['services'] as object), ['app']);
  assert.deepEqual(Object.keys(load(dir, { profiles: ['debug'] }).model['services'] as object), ['app', 'debug']);
  assert.deepEqual(Object.keys(load(dir, { env: { COMPOSE_PROFILES: 'test,debug' } }).model['services'] as object), ['app', 'debug', 'test']);
  assert.deepEqual(load(dir).allProfiles, ['debug', 'test']);
});

test('loadProject() resolves extends from the same and another file, and include', () => {
  const dir = project({
    'compose.yaml': `include:
  - lib/db.yaml
services:
  base:
    image: base
    environment: {A: "1"}
  web:
    extends: base
    environment: {B: "2"}
  worker:
    extends:
      file: common/common.yaml
      service: common
`,
    'common/common.yaml': 'services:\n  common:\n    build: ./ctx\n    command: run\n',
    'lib/db.yaml': 'services:\n  db:\n    image: postgres\n    volumes: ["./data:/data"]\n',
  });
  const p = load(dir);
  assert.deepEqual(svc(p, 'web')['environment'], { A: '1', B: '2' });
  assert.equal(svc(p, 'web')['image'], 'base');
  assert.deepEqual(svc(p, 'worker')['build'], { context: path.join(dir, 'common/ctx'), dockerfile: 'Dockerfile' });
  assert.deepEqual((svc(p, 'db')['volumes'] as Array<{ source: string }>)[0]?.source, path.join(dir, 'lib/data'));
});

test('loadProject() reports schema and reference errors naming the file, service and key', () => {
  const cases: Array<[string, RegExp]> = [
    ['services:\n  web:\n    imagee: x\n', /^validating .*compose.yaml: services.web additional properties 'imagee' not allowed$/],
    ['services:\n  web:\n    image: x\n    ports: [true]\n', /services.web.ports.0 must be a number, string or object/],
    ['services:\n  web:\n    image: x\n    depends_on: {db: {condition: bad}}\n  db:\n    image: y\n', /services.web.depends_on.db.condition must be one of the following: "service_started"/],
    ['services:\n  web:\n    image: x\n    depends_on: [db]\n', /service "web" depends on undefined service "db": invalid compose project/],
    ['services:\n  web:\n    image: x\n    networks: [nope]\n', /service "web" refers to undefined network nope/],
    ['services:\n  web:\n    image: x\n    read_only: "${RO}"\n', /error while interpolating services.web.read_only: failed to cast to expected type/],
    ['services:\n  web:\n    image: x\n    scale: 2\n    deploy: {replicas: 3}\n', /services.web: can't set distinct values on 'scale' and 'deploy.replicas'/],
    ['services:\n  web:\n    image: 5\n    environment: 3\n', /validating .*compose.yaml: services.web.environment must be an object or array$/],
    ['services:\n  web:\n    restart: always\n', /service "web" has neither an image nor a build context specified: invalid compose project/],
  ];
  for (const [text, want] of cases) {
    const dir = project({ 'compose.yaml': text });
    assert.throws(() => load(dir, { env: { RO: 'maybe' } }), (e: unknown) => e instanceof Error && want.test(e.message), text);
  }
  assert.throws(() => load(project({ 'other.txt': '' })), /no configuration file provided: not found/);
  assert.throws(() => load(project({ 'compose.yaml': '# nothing\n' })), /compose.yaml: empty compose file$/);
  assert.throws(() => load(project({ 'compose.yaml': '- a\n- b\n' })), /compose.yaml: Top-level object must be a mapping$/);
});

test('loadProject() honours !reset and !override in a later file', () => {
  const dir = project({
    'compose.yaml': 'services:\n  web:\n    image: a\n    ports: ["80:80"]\n    environment: {A: "1", B: "2"}\n    labels: {keep: "yes"}\n',
    'compose.override.yaml': 'services:\n  web:\n    ports: !reset []\n    environment: !override\n      C: "3"\n    labels: !reset null\n',
  });
  const web = svc(load(dir), 'web');
  assert.equal(web['ports'], undefined);
  assert.deepEqual(web['environment'], { C: '3' });
  assert.equal(web['labels'], undefined);
});

test('loadProject() reads .env from the project directory: the first file\'s, or --project-directory', () => {
  const root = project({ 'sub/compose.yaml': 'services:\n  a:\n    image: "${IMG}"\n', 'sub/.env': 'IMG=from-sub\n', 'elsewhere/.env': 'IMG=from-elsewhere\n' });
  assert.equal(svc(load(root, { configFiles: ['sub/compose.yaml'] }), 'a')['image'], 'from-sub');
  const p = load(root, { configFiles: ['sub/compose.yaml'], projectDirectory: 'elsewhere' });
  assert.equal(svc(p, 'a')['image'], 'from-elsewhere');
  assert.equal(p.name, 'elsewhere');
  assert.equal(p.workingDir, path.join(root, 'elsewhere'));
  const viaEnv = project({ 'compose.prod.yaml': 'services:\n  b:\n    image: b\n', '.env': 'COMPOSE_FILE=compose.prod.yaml\n' });
  assert.deepEqual(Object.keys(load(viaEnv).model['services'] as object), ['b']);
});

test('loadProject() writes a long-syntax port\'s published port as a string, as v2 does', () => {
  const dir = project({ 'compose.yaml': 'services:\n  web:\n    image: a\n    ports:\n      - target: 80\n        published: 8080\n' });
  assert.deepEqual(svc(load(dir), 'web')['ports'], [{ mode: 'ingress', protocol: 'tcp', target: 80, published: '8080' }]);
});

test('config YAML quotes strings that Go would read back as something else', () => {
  const dir = project({ 'compose.yaml': 'services:\n  web:\n    image: a\n    environment:\n      DEBUG: "yes"\n      MODE: "0755"\n      ON_OFF: "on"\n      PLAIN: hello\n' });
  const text = toComposeYaml(load(dir).model);
  assert.match(text, /\n      DEBUG: "yes"\n      MODE: "0755"\n      ON_OFF: "on"\n      PLAIN: hello\n/);
});
