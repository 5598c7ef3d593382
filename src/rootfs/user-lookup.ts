import { promises as fs } from 'node:fs';
import { EngineError } from '../engine-error.js';
import { resolveInRoot } from './resolve-in-root.js';

export interface ResolvedUser {
  readonly uid: number;
  readonly gid: number;
  readonly additionalGids: number[];
}

interface PasswdEntry { name: string; uid: number; gid: number }
interface GroupEntry { name: string; gid: number; members: string[] }

/**
 * Resolves Docker's `--user` forms (`name`, `uid`, `name:group`, `uid:gid`, `name:gid`)
 * against /etc/passwd and /etc/group of the container's root filesystem.
 */
export async function resolveUser(rootfs: string, user: string): Promise<ResolvedUser> {
  const spec = user === '' ? 'root' : user;
  const [userPart = '', groupPart] = spec.split(':', 2);
  const passwd = await readEntries(rootfs, '/etc/passwd', parsePasswd);
  const groups = await readEntries(rootfs, '/etc/group', parseGroup);
  let uid: number;
  let gid = 0;
  let name: string | undefined;
  if (/^\d+$/.test(userPart)) {
    uid = Number(userPart);
    const entry = passwd.find((p) => p.uid === uid);
    if (entry !== undefined) {
      gid = entry.gid;
      name = entry.name;
    }
  } else {
    const entry = passwd.find((p) => p.name === userPart) ?? (userPart === 'root' ? { name: 'root', uid: 0, gid: 0 } : undefined);
    if (entry === undefined) throw new EngineError('invalid-argument', `unable to find user ${userPart}: no matching entries in passwd file`);
    uid = entry.uid;
    gid = entry.gid;
    name = entry.name;
  }
  if (groupPart !== undefined && groupPart !== '') {
    if (/^\d+$/.test(groupPart)) gid = Number(groupPart);
    else {
      const g = groups.find((e) => e.name === groupPart);
      if (g === undefined) throw new EngineError('invalid-argument', `unable to find group ${groupPart}: no matching entries in group file`);
      gid = g.gid;
    }
  }
  const additionalGids = name === undefined ? [] : groups.filter((g) => g.members.includes(name) && g.gid !== gid).map((g) => g.gid);
  return { uid, gid, additionalGids };
}

/** `--group-add`: GIDs as given, names looked up in the container's /etc/group. */
export async function resolveGroups(rootfs: string, names: readonly string[]): Promise<number[]> {
  if (names.length === 0) return [];
  const groups = await readEntries(rootfs, '/etc/group', parseGroup);
  return names.map((n) => {
    if (/^\d+$/.test(n)) return Number(n);
    const g = groups.find((e) => e.name === n);
    if (g === undefined) throw new EngineError('invalid-argument', `Unable to find group ${n}: no matching entries in group file`);
    return g.gid;
  });
}

async function readEntries<T>(rootfs: string, file: string, parse: (line: string) => T | undefined): Promise<T[]> {
  let text: string;
  try {
    const p = await resolveInRoot(rootfs, file);
    const st = await fs.stat(p);
    if (!st.isFile() || st.size > 16 * 1024 * 1024) return [];
    text = await fs.readFile(p, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').map(parse).filter((e): e is T => e !== undefined);
}

function parsePasswd(line: string): PasswdEntry | undefined {
  const f = line.split(':');
  if (f.length < 4 || f[0] === undefined || f[0] === '' || line.startsWith('#')) return undefined;
  const uid = Number(f[2]);
  const gid = Number(f[3]);
  return Number.isInteger(uid) && Number.isInteger(gid) ? { name: f[0], uid, gid } : undefined;
}

function parseGroup(line: string): GroupEntry | undefined {
  const f = line.split(':');
  if (f.length < 3 || f[0] === undefined || f[0] === '' || line.startsWith('#')) return undefined;
  const gid = Number(f[2]);
  return Number.isInteger(gid) ? { name: f[0], gid, members: (f[3] ?? '').split(',').filter(Boolean) } : undefined;
}
