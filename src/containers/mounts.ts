import path from 'node:path';
import { invalidArgument } from '../engine-error.js';

/** A mount as the user asked for it (from -v, --mount, --tmpfs or an image VOLUME). */
export type MountRequest =
  | { readonly type: 'volume'; readonly name: string; readonly destination: string; readonly readonly: boolean; readonly noCopy: boolean; readonly mode: string;
      readonly labels?: Readonly<Record<string, string>>; readonly driverOptions?: Readonly<Record<string, string>> }
  | { readonly type: 'bind'; readonly source: string; readonly destination: string; readonly readonly: boolean; readonly propagation: string;
      readonly mode: string; readonly createSource: boolean }
  | { readonly type: 'tmpfs'; readonly destination: string; readonly options: readonly string[] };

/** A mount as the container has it (volume names resolved, anonymous ones named). */
export type MountPoint =
  | { readonly type: 'volume'; readonly name: string; readonly destination: string; readonly readonly: boolean; readonly noCopy: boolean;
      readonly mode: string; readonly anonymous: boolean }
  | { readonly type: 'bind'; readonly source: string; readonly destination: string; readonly readonly: boolean; readonly propagation: string; readonly mode: string }
  | { readonly type: 'tmpfs'; readonly destination: string; readonly options: readonly string[] };

const PROPAGATIONS = new Set(['shared', 'slave', 'private', 'rshared', 'rslave', 'rprivate']);
const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

function checkDestination(spec: string, dest: string, type: string): string {
  if (!path.posix.isAbsolute(dest)) {
    throw invalidArgument(`invalid volume specification: '${spec}': invalid mount config for type "${type}": invalid mount path: '${dest}' mount path must be absolute`);
  }
  if (path.posix.normalize(dest) === '/') {
    throw invalidArgument(`invalid volume specification: '${spec}': invalid mount config for type "${type}": invalid specification: destination can't be '/'`);
  }
  return path.posix.normalize(dest).replace(/\/$/, '');
}

/** Docker's `-v` / HostConfig.Binds syntax: `name:/path[:opts]`, `/host:/path[:opts]`, `/path`. */
export function parseBind(spec: string): MountRequest {
  const parts = spec.split(':');
  if (parts.length === 1) {
    return { type: 'volume', name: '', destination: checkDestination(spec, spec, 'volume'), readonly: false, noCopy: false, mode: '' };
  }
  if (parts.length > 3 || parts.some((p) => p === '')) throw invalidArgument(`invalid volume specification: '${spec}'`);
  const [source = '', dest = '', modeText = ''] = parts;
  const modes = modeText === '' ? [] : modeText.split(',');
  let readonly = false;
  let propagation = '';
  let noCopy = false;
  for (const m of modes) {
    if (m === 'ro' || m === 'rw') readonly = m === 'ro';
    else if (m === 'z' || m === 'Z') { /* SELinux labels: nothing to do without SELinux */ }
    else if (PROPAGATIONS.has(m)) propagation = m;
    else if (m === 'nocopy') noCopy = true;
    else throw invalidArgument(`invalid mode: ${modeText}`);
  }
  if (source.startsWith('/') || source.startsWith('.')) {
    if (!source.startsWith('/')) throw invalidArgument(`invalid volume specification: '${spec}': invalid mount config for type "bind": invalid mount path: '${source}' mount path must be absolute`);
    if (noCopy) throw invalidArgument(`invalid mode: ${modeText}`);
    return { type: 'bind', source: path.posix.normalize(source), destination: checkDestination(spec, dest, 'bind'), readonly, propagation: propagation || 'rprivate', mode: modeText, createSource: true };
  }
  if (propagation !== '') throw invalidArgument(`invalid mode: ${modeText}`);
  if (!VOLUME_NAME.test(source)) {
    throw invalidArgument(`create ${source}: "${source}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`);
  }
  return { type: 'volume', name: source, destination: checkDestination(spec, dest, 'volume'), readonly, noCopy, mode: modeText };
}

/** HostConfig.Tmpfs: `{"/run": "rw,size=64m"}`. */
export function parseTmpfs(dest: string, opts: string): MountRequest {
  const options = opts === '' ? [] : opts.split(',');
  return { type: 'tmpfs', destination: checkDestination(dest, dest, 'tmpfs'), options };
}

/** Mount options of a tmpfs as Docker sets them: noexec,nosuid,nodev unless asked otherwise. */
export function tmpfsOptions(requested: readonly string[]): string[] {
  const out = ['nosuid', 'nodev', 'noexec'];
  for (const o of requested) {
    if (o === 'exec') out.splice(out.indexOf('noexec'), 1);
    else if (o === 'suid') out.splice(out.indexOf('nosuid'), 1);
    else if (o === 'dev') out.splice(out.indexOf('nodev'), 1);
    else if (!out.includes(o)) out.push(o);
  }
  return out;
}

/** Refuses two mounts on one destination, with Docker's message. */
export function checkDuplicates(mounts: ReadonlyArray<{ destination: string }>): void {
  const seen = new Set<string>();
  for (const m of mounts) {
    if (seen.has(m.destination)) throw invalidArgument(`Duplicate mount point: ${m.destination}`);
    seen.add(m.destination);
  }
}
