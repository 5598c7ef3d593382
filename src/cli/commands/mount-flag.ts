import { ExitError } from '../command.js';

/**
 * `--mount type=bind,source=/src,target=/dst,readonly` into the Engine API's
 * HostConfig.Mounts entry, with the docker CLI's keys and errors.
 */
export function parseMountFlag(spec: string): Record<string, unknown> {
  const fail = (msg: string): never => { throw new ExitError(125, `invalid argument "${spec}" for "--mount" flag: ${msg}`); };
  const m: Record<string, unknown> = { Type: 'volume' };
  const bind: Record<string, unknown> = {};
  const volume: Record<string, unknown> = {};
  const driver: Record<string, unknown> = {};
  const tmpfs: Record<string, unknown> = {};
  const bool = (v: string | undefined, key: string): boolean => {
    if (v === undefined || v === '' || ['1', 'true', 'True', 'TRUE'].includes(v)) return true;
    if (['0', 'false', 'False', 'FALSE'].includes(v)) return false;
    return fail(`invalid value for ${key}: ${v}`);
  };
  for (const field of spec.split(',')) {
    if (field === '') continue;
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    const value = eq < 0 ? undefined : field.slice(eq + 1);
    const need = (): string => value ?? fail(`invalid field '${field}' must be a key=value pair`);
    switch (key) {
      case 'type': m['Type'] = need(); break;
      case 'source': case 'src': m['Source'] = need(); break;
      case 'target': case 'dst': case 'destination': m['Target'] = need(); break;
      case 'readonly': case 'ro': m['ReadOnly'] = bool(value, key); break;
      case 'consistency': m['Consistency'] = need(); break;
      case 'bind-propagation': bind['Propagation'] = need(); break;
      case 'bind-nonrecursive': bind['NonRecursive'] = bool(value, key); break;
      case 'bind-create-src': bind['CreateMountpoint'] = bool(value, key); break;
      case 'volume-nocopy': volume['NoCopy'] = bool(value, key); break;
      case 'volume-label': {
        const v = need();
        const i = v.indexOf('=');
        volume['Labels'] = { ...(volume['Labels'] as Record<string, string> | undefined), [i < 0 ? v : v.slice(0, i)]: i < 0 ? '' : v.slice(i + 1) };
        break;
      }
      case 'volume-driver': driver['Name'] = need(); break;
      case 'volume-opt': {
        const v = need();
        const i = v.indexOf('=');
        driver['Options'] = { ...(driver['Options'] as Record<string, string> | undefined), [i < 0 ? v : v.slice(0, i)]: i < 0 ? '' : v.slice(i + 1) };
        break;
      }
      case 'tmpfs-size': {
        const v = need();
        const mm = /^(\d+)([kmg]?)b?$/i.exec(v);
        if (mm === null) fail(`invalid value for tmpfs-size: ${v}`);
        const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(mm?.[2] ?? '').toLowerCase()] ?? 1;
        tmpfs['SizeBytes'] = Number(mm?.[1]) * mult;
        break;
      }
      case 'tmpfs-mode': {
        const v = need();
        if (!/^[0-7]+$/.test(v)) fail(`invalid value for tmpfs-mode: ${v}`);
        tmpfs['Mode'] = Number.parseInt(v, 8);
        break;
      }
      default: fail(`unexpected key '${key}' in '${field}'`);
    }
  }
  if (m['Target'] === undefined) fail('target is required');
  if (Object.keys(bind).length > 0) m['BindOptions'] = bind;
  if (Object.keys(driver).length > 0) volume['DriverConfig'] = driver;
  if (Object.keys(volume).length > 0) m['VolumeOptions'] = volume;
  if (Object.keys(tmpfs).length > 0) m['TmpfsOptions'] = tmpfs;
  return m;
}
