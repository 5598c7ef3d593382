import type { Dockerfile, Instruction } from './dockerfile/ast.js';
import { flagValue } from './dockerfile/ast.js';
import { DockerfileParseError } from './dockerfile/parse-error.js';
import { expandWord, ExpansionError, type Env } from './dockerfile/shell-lex.js';
import { invalidArgument } from '../engine-error.js';

/** The proxy variables every build knows without an ARG (BuildKit's predefined args). */
export const PREDEFINED_ARGS = new Set(['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy']);

function hostPlatform(): { os: string; arch: string; variant: string } {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch === 'ia32' ? '386' : process.arch;
  return { os: 'linux', arch, variant: arch === 'arm' ? 'v7' : '' };
}

/** BuildKit's automatic platform ARGs: in scope for FROM, and in a stage once declared with `ARG NAME`. */
export const PLATFORM_ARGS: ReadonlyMap<string, string> = (() => {
  const p = hostPlatform();
  const platform = `${p.os}/${p.arch}${p.variant === '' ? '' : `/${p.variant}`}`;
  const m = new Map<string, string>();
  for (const prefix of ['TARGET', 'BUILD']) {
    m.set(`${prefix}PLATFORM`, platform);
    m.set(`${prefix}OS`, p.os);
    m.set(`${prefix}ARCH`, p.arch);
    m.set(`${prefix}VARIANT`, p.variant);
  }
  return m;
})();

export interface Stage {
  readonly index: number;
  /** Lowercased stage name from `AS name`. */
  readonly name: string | undefined;
  /** The FROM image after substitution of the global ARGs. */
  readonly base: string;
  readonly platform: string | undefined;
  readonly from: Extract<Instruction, { kind: 'FROM' }>;
  readonly instructions: readonly Instruction[];
  /** Stages this one reads from (COPY --from, RUN --mount from=, or FROM another stage). */
  readonly deps: readonly number[];
  /** FROM names an earlier stage rather than an image. */
  readonly baseStage: number | undefined;
}

export interface BuildPlan {
  readonly stages: readonly Stage[];
  /** Values of the ARGs declared before the first FROM (with their defaults and --build-arg). */
  readonly globalArgs: ReadonlyMap<string, string>;
  /** Stage indexes in the order they need to be built for the target (dependencies first). */
  readonly order: readonly number[];
  readonly target: number;
}

/**
 * Splits the instructions into stages, resolves FROM with the global ARGs,
 * finds each stage's dependencies, and picks the stages the target needs.
 */
export function planBuild(df: Dockerfile, buildArgs: ReadonlyMap<string, string>, target?: string): BuildPlan {
  const escape = df.directives.escape;
  const globalArgs = new Map<string, string>();
  // FROM sees the platform ARGs without a declaration
  const fromEnv = (): Map<string, string> => new Map([...PLATFORM_ARGS, ...globalArgs]);
  const stages: Array<{ from: Extract<Instruction, { kind: 'FROM' }>; instructions: Instruction[] }> = [];
  for (const ins of df.instructions) {
    if (ins.kind === 'FROM') {
      stages.push({ from: ins, instructions: [] });
      continue;
    }
    const current = stages[stages.length - 1];
    if (current === undefined) {
      if (ins.kind !== 'ARG') throw new DockerfileParseError(ins.line, `no build stage in current context`);
      for (const a of ins.args) {
        const given = buildArgs.get(a.name);
        const value = given ?? (a.defaultValue === undefined ? undefined : expand(a.defaultValue, globalArgs, escape, ins.line));
        if (value !== undefined) globalArgs.set(a.name, value);
        else globalArgs.delete(a.name);
      }
      continue;
    }
    current.instructions.push(ins);
  }
  if (stages.length === 0) throw new DockerfileParseError(undefined, 'no build stage in current context');
  const byName = new Map<string, number>();
  const built: Stage[] = [];
  stages.forEach((s, index) => {
    const base = expand(s.from.image, fromEnv(), escape, s.from.line);
    if (base === '') throw new DockerfileParseError(s.from.line, `base name (${s.from.image}) should not be blank`);
    const baseStage = byName.get(base.toLowerCase());
    const deps = new Set<number>();
    if (baseStage !== undefined) deps.add(baseStage);
    const depOf = (ref: string, line: number): void => {
      const name = expand(ref, globalArgs, escape, line).toLowerCase();
      const byStageName = byName.get(name);
      if (byStageName !== undefined) deps.add(byStageName);
      else if (/^\d+$/.test(name)) {
        const n = Number(name);
        if (n >= index) throw invalidArgument(`invalid from flag value ${name}: refers to current or later build stage`);
        deps.add(n);
      }
    };
    for (const ins of s.instructions) {
      const from = ins.kind === 'COPY' ? flagValue(ins, 'from') : undefined;
      if (from !== undefined) depOf(from, ins.line);
      if (ins.kind === 'RUN') {
        for (const f of ins.flags) {
          if (f.name !== 'mount' || f.value === undefined) continue;
          const m = /(?:^|,)from=([^,]+)/.exec(f.value);
          if (m?.[1] !== undefined) depOf(m[1], ins.line);
        }
      }
    }
    const platform = s.from.platform === undefined ? undefined : expand(s.from.platform, fromEnv(), escape, s.from.line);
    built.push({ index, name: s.from.stageName, base, platform, from: s.from, instructions: s.instructions, deps: [...deps], baseStage });
    if (s.from.stageName !== undefined) {
      if (byName.has(s.from.stageName)) throw new DockerfileParseError(s.from.line, `duplicate stage name "${s.from.stageName}"`);
      byName.set(s.from.stageName, index);
    }
  });
  let targetIndex = built.length - 1;
  if (target !== undefined && target !== '') {
    const t = byName.get(target.toLowerCase());
    if (t === undefined) throw invalidArgument(`failed to reach build target ${target} in Dockerfile`);
    targetIndex = t;
  }
  const order: number[] = [];
  const visit = (i: number): void => {
    if (order.includes(i)) return;
    for (const d of built[i]?.deps ?? []) visit(d);
    order.push(i);
  };
  visit(targetIndex);
  order.sort((a, b) => a - b);
  return { stages: built, globalArgs, order, target: targetIndex };
}

function expand(word: string, env: Env, escape: string, line: number): string {
  try {
    return expandWord(word, env, escape);
  } catch (e: unknown) {
    if (e instanceof ExpansionError) throw new DockerfileParseError(line, e.message);
    throw e;
  }
}
