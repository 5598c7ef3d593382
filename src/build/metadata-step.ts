import path from 'node:path';
import type { Instruction } from './dockerfile/ast.js';
import type { ContainerDefaults } from '../images/image-config.js';
import { invalidArgument } from '../engine-error.js';
import { parseGoDuration } from '../units/go-values.js';
import { setEnv } from './build-state.js';
import type { Expander } from './expander.js';

type MetadataInstruction = Exclude<Instruction, { kind: 'FROM' | 'RUN' | 'COPY' | 'ADD' | 'ARG' }>;

export const METADATA_KINDS = new Set(['ENV', 'LABEL', 'EXPOSE', 'VOLUME', 'WORKDIR', 'USER', 'STOPSIGNAL', 'SHELL', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'ONBUILD']);

export function isMetadata(ins: Instruction): ins is MetadataInstruction {
  return METADATA_KINDS.has(ins.kind);
}

const DEFAULT_SHELL = ['/bin/sh', '-c'];

export function shellOf(c: ContainerDefaults): string[] {
  return c.Shell !== undefined && c.Shell !== null && c.Shell.length > 0 ? [...c.Shell] : [...DEFAULT_SHELL];
}

/**
 * The image config after one instruction that only changes configuration.
 * `cmdSetInStage` tells ENTRYPOINT whether a CMD of this stage must be kept.
 */
export function applyMetadata(c: ContainerDefaults, ins: MetadataInstruction, x: Expander, cmdSetInStage: boolean): ContainerDefaults {
  switch (ins.kind) {
    case 'ENV': {
      let env = c.Env ?? [];
      const values = ins.pairs.map((p) => [x.word(p.key), x.word(p.value)] as const);
      for (const [k, v] of values) env = setEnv(env, k, v);
      return { ...c, Env: env };
    }
    case 'LABEL': {
      const labels = { ...(c.Labels ?? {}) };
      for (const p of ins.pairs) labels[x.word(p.key)] = x.word(p.value);
      return { ...c, Labels: labels };
    }
    case 'EXPOSE': {
      const ports = { ...(c.ExposedPorts ?? {}) };
      for (const w of ins.values.flatMap((v) => x.words(v))) for (const p of exposedPorts(w)) ports[p] = {};
      return { ...c, ExposedPorts: ports };
    }
    case 'VOLUME': {
      const volumes = { ...(c.Volumes ?? {}) };
      for (const v of ins.values.flatMap((v) => x.words(v))) {
        if (v.trim() === '') throw invalidArgument('VOLUME specified can not be an empty string');
        volumes[v] = {};
      }
      return { ...c, Volumes: volumes };
    }
    case 'WORKDIR': {
      const dir = x.word(ins.value);
      const base = c.WorkingDir !== undefined && c.WorkingDir !== '' ? c.WorkingDir : '/';
      return { ...c, WorkingDir: path.posix.resolve(base, dir) };
    }
    case 'USER':
      return { ...c, User: x.word(ins.value) };
    case 'MAINTAINER':
      return c;
    case 'STOPSIGNAL':
      return { ...c, StopSignal: x.word(ins.value) };
    case 'SHELL':
      return { ...c, Shell: [...ins.shell] };
    case 'CMD':
      return { ...c, Cmd: ins.cmd.form === 'exec' ? [...ins.cmd.args] : [...shellOf(c), ins.cmd.command] };
    case 'ENTRYPOINT': {
      const ep = ins.cmd.form === 'exec' ? [...ins.cmd.args] : [...shellOf(c), ins.cmd.command];
      // Docker: an ENTRYPOINT resets a CMD inherited from the base image
      return cmdSetInStage ? { ...c, Entrypoint: ep } : { ...c, Entrypoint: ep, Cmd: null };
    }
    case 'HEALTHCHECK': {
      if (ins.healthcheck === 'none') return { ...c, Healthcheck: { Test: ['NONE'] } };
      const h = ins.healthcheck;
      const hc: Record<string, unknown> = { Test: [...h.test] };
      const dur = (name: string, v: string | undefined, key: string): void => {
        if (v === undefined) return;
        let ns: number;
        try {
          ns = parseGoDuration(v);
        } catch (e: unknown) {
          throw invalidArgument(e instanceof Error ? e.message : String(e));
        }
        if (ns !== 0 && ns < 1_000_000) throw invalidArgument(`Interval "${name}" cannot be less than 1ms`);
        hc[key] = ns;
      };
      dur('interval', h.interval, 'Interval');
      dur('timeout', h.timeout, 'Timeout');
      dur('start-period', h.startPeriod, 'StartPeriod');
      dur('start-interval', h.startInterval, 'StartInterval');
      if (h.retries !== undefined) {
        const n = Number(h.retries);
        if (!Number.isInteger(n)) throw invalidArgument(`strconv.ParseInt: parsing "${h.retries}": invalid syntax`);
        if (n < 0) throw invalidArgument('--retries cannot be negative');
        hc['Retries'] = n;
      }
      return { ...c, Healthcheck: hc };
    }
    case 'ONBUILD': {
      const m = /^(\S+)([\s\S]*)$/.exec(ins.expression);
      const trigger = `${(m?.[1] ?? '').toUpperCase()}${m?.[2] ?? ''}`;
      return { ...c, OnBuild: [...(c.OnBuild ?? []), trigger] };
    }
  }
}

/** `80`, `80/udp`, `8000-8002` → Docker's port keys. */
export function exposedPorts(spec: string): string[] {
  const m = /^(\d+)(?:-(\d+))?(?:\/([a-zA-Z]+))?$/.exec(spec);
  if (m === null) throw invalidArgument(`Invalid containerPort: ${spec.split('/')[0] ?? spec}`);
  const proto = (m[3] ?? 'tcp').toLowerCase();
  if (!['tcp', 'udp', 'sctp'].includes(proto)) throw invalidArgument(`Invalid proto: ${proto}`);
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (start > 65535 || end > 65535 || end < start) throw invalidArgument(`Invalid containerPort: ${spec}`);
  const out: string[] = [];
  for (let p = start; p <= end; p++) out.push(`${p}/${proto}`);
  return out;
}
