import { ApiError } from '../../client/api-error.js';
import type { EngineClient } from '../../client/engine-client.js';
import { errorText } from '../cli-errors.js';
import { ExitError, type Command } from '../command.js';
import { containerPath } from './container-batch.js';
import { imageInspectView } from './image-inspect-view.js';
import { imagePath } from './image-reference.js';
import { rawJson, writeInspect } from './inspect-output.js';
import { INSPECT_FORMAT_HELP } from './system-format-flag.js';

const TYPES = ['config', 'container', 'image', 'network', 'node', 'plugin', 'secret', 'service', 'task', 'volume'] as const;
type ObjectType = (typeof TYPES)[number];

interface Inspector {
  readonly type: ObjectType;
  readonly sizeSupported?: boolean;
  /** Swarm objects are only looked for, without --type, on a swarm manager. */
  readonly swarm?: boolean;
  path(ref: string): string;
  /** How docker's Go struct for this kind shows it to templates, where berth has one. */
  readonly view?: (data: unknown) => unknown;
}

/** The Go client's check of an ID before the request: trimmed, and not empty. */
function idPath(kind: string, prefix: string, ref: string, suffix = ''): string {
  const id = ref.trim();
  if (id === '') throw new Error(`invalid ${kind} name or ID: value is empty`);
  return `${prefix}${encodeURIComponent(id)}${suffix}`;
}

/** The Go client's own "not found", found without asking the daemon. */
class NotFoundError extends Error {}

/** In docker's order of auto-detection. */
const INSPECTORS: readonly Inspector[] = [
  { type: 'container', sizeSupported: true, path: (ref) => containerPath(ref, '/json') },
  {
    type: 'image',
    path: (ref) => {
      if (ref === '') throw new NotFoundError('Error: No such image: ');
      return `/images/${imagePath(ref)}/json`;
    },
    view: imageInspectView,
  },
  { type: 'network', path: (ref) => idPath('network', '/networks/', ref) },
  { type: 'volume', path: (ref) => idPath('volume', '/volumes/', ref) },
  { type: 'service', swarm: true, path: (ref) => idPath('service', '/services/', ref) },
  { type: 'task', swarm: true, path: (ref) => idPath('task', '/tasks/', ref) },
  { type: 'node', swarm: true, path: (ref) => idPath('node', '/nodes/', ref) },
  { type: 'plugin', path: (ref) => idPath('plugin', '/plugins/', ref, '/json') },
  { type: 'secret', swarm: true, path: (ref) => idPath('secret', '/secrets/', ref) },
  { type: 'config', swarm: true, path: (ref) => idPath('config', '/configs/', ref) },
];

/** docker's isErrSkippable: try the next kind of object. */
function skippable(e: unknown): boolean {
  const message = e instanceof Error ? e.message : String(e);
  return (e instanceof ApiError && e.status === 404) || e instanceof NotFoundError || message.includes('not supported') || message.includes('invalid reference format');
}

async function isSwarmManager(client: EngineClient, err: (text: string) => void): Promise<boolean> {
  try {
    const info = await client.json<{ Swarm?: { ControlAvailable?: boolean } }>('GET', '/info');
    return info.Swarm?.ControlAvailable === true;
  } catch (e: unknown) {
    err(`${errorText(e)}\n`);
    return false;
  }
}

export const command: Command = {
  path: 'inspect',
  usage: '[OPTIONS] NAME|ID [NAME|ID...]',
  description: 'Return low-level information on berth objects',
  flags: [
    { name: 'format', short: 'f', type: 'string', usage: INSPECT_FORMAT_HELP },
    { name: 'size', short: 's', type: 'bool', usage: 'Display total file sizes if the type is container' },
    { name: 'type', type: 'string', usage: 'Only inspect objects of the given type' },
  ],
  interspersed: true,
  args: { kind: 'min', n: 1 },
  async run(ctx, flags, args) {
    const type = flags.getString('type');
    const allowed = `must be one of "${TYPES.join('", "')}"`;
    if (flags.has('type') && type === '') throw new ExitError(1, `type is empty: ${allowed}`);
    if (type !== '' && !(TYPES as readonly string[]).includes(type)) throw new ExitError(1, `unknown type: "${type}": ${allowed}`);
    const size = flags.getBool('size');
    let swarm: boolean | undefined;
    return writeInspect(ctx, args, flags.getString('format'), async (ref) => {
      for (const inspector of INSPECTORS) {
        if (type !== '' && inspector.type !== type) continue;
        if (type === '' && inspector.swarm === true) {
          swarm ??= await isSwarmManager(await ctx.client(), ctx.err);
          if (!swarm) continue;
        }
        let raw: string;
        try {
          const path = inspector.path(ref);
          raw = await rawJson(await ctx.client(), path, inspector.sizeSupported === true ? { size: size || undefined } : undefined);
        } catch (e: unknown) {
          if (type === '' && skippable(e)) continue;
          throw e;
        }
        if (size && inspector.sizeSupported !== true) ctx.err(`WARNING: --size ignored for ${inspector.type}\n`);
        return inspector.view !== undefined ? { raw, view: inspector.view } : { raw };
      }
      throw new Error(`Error: No such object: ${ref}`);
    });
  },
};
