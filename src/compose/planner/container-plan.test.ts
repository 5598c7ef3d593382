import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadProject } from '../loader/load-project.js';
import { serviceConfigHash } from './config-hash.js';
import { planContainer } from './container-plan.js';
import { dependencyOrder } from './dependency-order.js';
import { planNetworks, planVolumes } from './resource-plan.js';

function loadText(text: string, dirName = 'shop', env: Record<string, string> = {}) {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'plan-')), dirName);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'compose.yaml'), text);
  return loadProject({ env, cwd: dir });
}

const STACK = `services:
  web:
    image: nginx
    ports: ["127.0.0.1:8080:80"]
    volumes: ["./html:/usr/share/nginx/html:ro", "cache:/cache"]
    depends_on:
      api: {condition: service_healthy}
    networks:
      front:
        aliases: [www]
  api:
    build: .
    command: python app.py
    environment: {DB: db, EMPTY: ""}
    healthcheck: {test: ["CMD", "true"], interval: 5s, retries: 3}
    networks: [front, back]
    depends_on: [db]
    restart: on-failure:3
    deploy:
      resources:
        limits: {memory: 512m, cpus: "0.5"}
  db:
    image: postgres
    networks: [back]
    stop_grace_period: 1m
volumes:
  cache:
networks:
  front:
  back:
    internal: true
`;

test('planContainer() names containers project-service-N and labels them as compose v2', () => {
  const p = loadText(STACK);
  const web = planContainer(p, 'web', 1, { composeVersion: '2.29.0' });
  assert.equal(web.name, 'shop-web-1');
  const labels = web.body.Labels ?? {};
  assert.equal(labels['com.docker.compose.project'], 'shop');
  assert.equal(labels['com.docker.compose.service'], 'web');
  assert.equal(labels['com.docker.compose.container-number'], '1');
  assert.equal(labels['com.docker.compose.oneoff'], 'False');
  assert.equal(labels['com.docker.compose.depends_on'], 'api:service_healthy:false');
  assert.equal(labels['com.docker.compose.project.working_dir'], p.workingDir);
  assert.equal(labels['com.docker.compose.project.config_files'], path.join(p.workingDir, 'compose.yaml'));
  assert.equal(labels['com.docker.compose.version'], '2.29.0');
  assert.match(labels['com.docker.compose.config-hash'] ?? '', /^[0-9a-f]{64}$/);
  assert.deepEqual(web.body.HostConfig.PortBindings, { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] });
  assert.deepEqual(web.body.HostConfig.Binds, [`${path.join(p.workingDir, 'html')}:/usr/share/nginx/html:ro`]);
  assert.deepEqual(web.body.HostConfig.Mounts, [{ Type: 'volume', Source: 'shop_cache', Target: '/cache', ReadOnly: false }]);
  assert.deepEqual(web.body.NetworkingConfig, { EndpointsConfig: { shop_front: { Aliases: ['web', 'www'] } } });
  assert.equal(web.body.HostConfig.NetworkMode, 'shop_front');
});

test('planContainer() maps build, command, environment, health, restart and limits', () => {
  const p = loadText(STACK);
  const api = planContainer(p, 'api', 2, { composeVersion: 'v' }).body;
  assert.equal(api.Image, 'shop-api');
  assert.deepEqual(api.Cmd, ['python', 'app.py']);
  assert.deepEqual(api.Env, ['DB=db', 'EMPTY=']);
  assert.deepEqual(api.Healthcheck, { Test: ['CMD', 'true'], Interval: 5e9, Retries: 3 });
  assert.deepEqual(api.HostConfig.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 3 });
  assert.equal(api.HostConfig.Memory, 512 * 1024 * 1024);
  assert.equal(api.HostConfig.NanoCpus, 5e8);
  assert.deepEqual(Object.keys(api.NetworkingConfig?.EndpointsConfig ?? {}), ['shop_back', 'shop_front']);
  assert.equal(planContainer(p, 'db', 1, { composeVersion: 'v' }).body.StopTimeout, 60);
});

test('serviceConfigHash() is the sha256 of the service JSON, ignoring build, depends_on and scale', () => {
  const svc = { image: 'a', networks: { default: null } };
  const json = '{"command":null,"entrypoint":null,"image":"a","networks":{"default":null}}';
  assert.equal(serviceConfigHash(svc), createHash('sha256').update(json).digest('hex'));
  assert.equal(serviceConfigHash({ ...svc, build: { context: '.' }, depends_on: { x: {} }, scale: 3 }), serviceConfigHash(svc));
  assert.notEqual(serviceConfigHash({ ...svc, image: 'b' }), serviceConfigHash(svc));
});

test('dependencyOrder() starts dependencies first and names a cycle', () => {
  const p = loadText(STACK);
  assert.deepEqual(dependencyOrder(p.model.services), ['db', 'api', 'web']);
  assert.throws(() => dependencyOrder({ a: { depends_on: { b: {} } }, b: { depends_on: { a: {} } } }), /dependency cycle detected: a -> b -> a/);
});

test('planNetworks() and planVolumes() give project names and compose labels', () => {
  const p = loadText(STACK);
  const nets = planNetworks(p, 'v');
  assert.deepEqual(nets.map((n) => [n.name, n.body.Internal]), [['shop_back', true], ['shop_front', false]]);
  assert.deepEqual(nets[0]?.body.Labels, { 'com.docker.compose.network': 'back', 'com.docker.compose.project': 'shop', 'com.docker.compose.version': 'v' });
  const vols = planVolumes(p, 'v');
  assert.deepEqual(vols.map((v) => v.name), ['shop_cache']);
  assert.equal(vols[0]?.body.Labels?.['com.docker.compose.volume'], 'cache');
});

test('planContainer() mounts file secrets and configs read-only and copies the others in', () => {
  const p = loadText(`services:
  app:
    image: a
    secrets: [db_password, {source: token, target: api_token}]
    configs: [{source: nginx_conf, target: /etc/nginx/nginx.conf}]
secrets:
  db_password: {file: ./db_password.txt}
  token: {environment: TOKEN}
configs:
  nginx_conf: {file: ./nginx.conf}
`, 'sec', { TOKEN: 's3cret' });
  const plan = planContainer(p, 'app', 1, { composeVersion: 'v' });
  assert.deepEqual(plan.body.HostConfig.Binds, [
    `${path.join(p.workingDir, 'db_password.txt')}:/run/secrets/db_password:ro`,
    `${path.join(p.workingDir, 'nginx.conf')}:/etc/nginx/nginx.conf:ro`,
  ]);
  assert.deepEqual(plan.copies, [{ target: '/run/secrets/api_token', content: 's3cret', mode: 0o444 }]);
});
