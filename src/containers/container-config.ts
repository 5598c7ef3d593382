import type { Digest } from '../content/digest.js';
import { invalidArgument } from '../engine-error.js';
import type { ContainerDefaults } from '../images/image-config.js';
import type { ContainerConfig, HostOptions } from './container.js';
import type { CreateOptions } from './create-options.js';
import { healthFromImage, mergeHealth } from './health.js';

export const DEFAULT_SHM_SIZE = 64 * 1024 * 1024;

export function defaultHostOptions(): HostOptions {
  return {
    networkMode: 'bridge', autoRemove: false, restartPolicy: { name: 'no', maximumRetryCount: 0 },
    privileged: false, capAdd: [], capDrop: [], readonlyRootfs: false, shmSize: DEFAULT_SHM_SIZE,
    dns: [], dnsSearch: [], dnsOptions: [], extraHosts: [], init: false, portBindings: [], publishAllPorts: false, aliases: [], ipv4Address: '', macAddress: '',
    mounts: [], binds: [], tmpfs: {}, volumesFrom: [],
    logConfig: { type: '', config: {} },
  };
}

/**
 * Merges a create request with the image's defaults the way Docker does: the
 * image's Cmd is used only when neither Entrypoint nor Cmd is given, env and
 * labels are the image's overridden key by key.
 */
export function buildContainerConfig(
  id: string, created: string, opts: CreateOptions, imageId: Digest, image: ContainerDefaults, hostHostname: string,
): ContainerConfig {
  let entrypoint: readonly string[] | null = opts.entrypoint === undefined ? null : opts.entrypoint;
  if (entrypoint !== null && entrypoint.length === 1 && entrypoint[0] === '') entrypoint = [];
  let cmd: readonly string[] | null = opts.cmd === undefined ? null : opts.cmd;
  if (entrypoint === null || entrypoint.length === 0) {
    if (cmd === null || cmd.length === 0) cmd = image.Cmd ?? null;
    if (entrypoint === null) entrypoint = image.Entrypoint ?? null;
  }
  const argv = [...(entrypoint ?? []), ...(cmd ?? [])];
  const path = argv[0];
  if (path === undefined || path === '') throw invalidArgument('no command specified');

  const host: HostOptions = { ...defaultHostOptions(), ...definedOnly(opts.host ?? {}) };
  if (host.networkMode === '' || host.networkMode === 'default') (host as { networkMode: string }).networkMode = 'bridge';
  if (host.autoRemove && host.restartPolicy.name !== 'no') {
    throw invalidArgument("can't create 'AutoRemove' container with restart policy");
  }
  let hostname = opts.hostname ?? '';
  let domainname = opts.domainname ?? '';
  if (hostname === '') hostname = host.networkMode === 'host' ? hostHostname : id.slice(0, 12);
  else if (domainname === '' && hostname.includes('.')) {
    // Docker splits "host.example.com" into hostname and domain name.
    const i = hostname.indexOf('.');
    domainname = hostname.slice(i + 1);
    hostname = hostname.slice(0, i);
  }
  if (!/^[a-zA-Z0-9]([a-zA-Z0-9_.-]*[a-zA-Z0-9])?$/.test(hostname) || hostname.length > 63) {
    throw invalidArgument(`invalid hostname format: ${hostname}`);
  }

  return {
    id,
    created,
    image: opts.image,
    imageId,
    path,
    args: argv.slice(1),
    cmd,
    entrypoint: entrypoint !== null && entrypoint.length === 0 && opts.entrypoint !== undefined ? entrypoint : entrypoint,
    env: mergeEnv(image.Env ?? [], opts.env ?? []),
    workingDir: opts.workingDir !== undefined && opts.workingDir !== '' ? opts.workingDir : image.WorkingDir ?? '',
    user: opts.user !== undefined && opts.user !== '' ? opts.user : image.User ?? '',
    hostname,
    domainname,
    labels: { ...(image.Labels ?? {}), ...(opts.labels ?? {}) },
    stopSignal: opts.stopSignal !== undefined && opts.stopSignal !== '' ? opts.stopSignal : image.StopSignal,
    stopTimeout: opts.stopTimeout,
    tty: opts.tty ?? false,
    openStdin: opts.openStdin ?? false,
    stdinOnce: opts.stdinOnce ?? false,
    attachStdin: opts.attachStdin ?? false,
    attachStdout: opts.attachStdout ?? false,
    attachStderr: opts.attachStderr ?? false,
    exposedPorts: { ...(image.ExposedPorts ?? {}), ...(opts.exposedPorts ?? {}) },
    volumes: { ...(image.Volumes ?? {}), ...(opts.volumes ?? {}) },
    onBuild: image.OnBuild ?? null,
    healthcheck: mergeHealth(opts.healthcheck, healthFromImage(image.Healthcheck)),
    host,
  };
}

/** Docker's ReplaceOrAppendEnvValues: overrides replace by key; `KEY` without `=` removes it. */
export function mergeEnv(base: readonly string[], overrides: readonly string[]): string[] {
  const out = [...base];
  const keyOf = (e: string): string => (e.includes('=') ? e.slice(0, e.indexOf('=')) : e);
  for (const o of overrides) {
    const k = keyOf(o);
    const i = out.findIndex((e) => keyOf(e) === k);
    if (!o.includes('=')) {
      if (i >= 0) out.splice(i, 1);
      continue;
    }
    if (i >= 0) out[i] = o;
    else out.push(o);
  }
  return out;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
