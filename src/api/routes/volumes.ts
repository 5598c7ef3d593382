import type { VolumeService, VolumeView } from '../../volumes/volume-service.js';
import { invalidArgument } from '../../engine-error.js';
import { asObject, optString, optStringMap } from '../convert/json-fields.js';
import type { Router } from '../router.js';

type VolumeBackend = Pick<VolumeService, 'create' | 'list' | 'inspect' | 'remove' | 'prune'>;

function sorted(m: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Docker's JSON shape of a volume. */
export function volumeJson(v: VolumeView): Record<string, unknown> {
  const out: Record<string, unknown> = {
    CreatedAt: v.record.created.replace(/\.\d+Z$/, 'Z'),
    Driver: v.record.driver,
    Labels: sorted(v.record.labels),
    Mountpoint: v.mountpoint,
    Name: v.record.name,
    Options: Object.keys(v.record.options).length > 0 ? sorted(v.record.options) : null,
    Scope: 'local',
  };
  if (v.size !== undefined) out['UsageData'] = { Size: v.size, RefCount: v.refCount ?? 0 };
  return out;
}

export function volumeRoutes(router: Router, svc: VolumeBackend): void {
  router
    .add('GET', '/volumes', async (ctx) => {
      const list = await svc.list(ctx.filters());
      ctx.sendJson(200, { Volumes: list.map(volumeJson), Warnings: null });
    })
    .add('POST', '/volumes/create', async (ctx) => {
      const body = asObject(await ctx.json(), 'VolumeCreateRequest') ?? {};
      const name = optString(body, 'Name');
      const driver = optString(body, 'Driver');
      const labels = optStringMap(body, 'Labels');
      const options = optStringMap(body, 'DriverOpts');
      const rec = await svc.create({
        ...(name !== undefined ? { name } : {}),
        ...(driver !== undefined ? { driver } : {}),
        ...(labels !== undefined ? { labels } : {}),
        ...(options !== undefined ? { options } : {}),
      });
      ctx.sendJson(201, volumeJson(await svc.inspect(rec.name)));
    })
    .add('POST', '/volumes/prune', async (ctx) => {
      const filters = ctx.filters();
      const allValues = filters['all'] ?? [];
      if (allValues.length > 1) throw invalidArgument(`invalid filter 'all=[${allValues.join(' ')}]': only one value is expected`);
      const allValue = allValues[0];
      const truthy = ['1', 't', 'T', 'true', 'TRUE', 'True'];
      const falsy = ['0', 'f', 'F', 'false', 'FALSE', 'False'];
      if (allValue !== undefined && !truthy.includes(allValue) && !falsy.includes(allValue)) {
        throw invalidArgument(`invalid filter 'all': strconv.ParseBool: parsing "${allValue}": invalid syntax`);
      }
      // Before API 1.42, prune removed every unused volume; since, only anonymous ones unless all=true.
      const all = !ctx.atLeast('1.42') || (allValue !== undefined && truthy.includes(allValue));
      const r = await svc.prune({ all, filters });
      ctx.sendJson(200, { VolumesDeleted: r.deleted.length > 0 ? r.deleted : null, SpaceReclaimed: r.spaceReclaimed });
    })
    .add('GET', '/volumes/{name*}', async (ctx) => {
      ctx.sendJson(200, volumeJson(await svc.inspect(ctx.param('name'))));
    })
    .add('DELETE', '/volumes/{name*}', async (ctx) => {
      await svc.remove(ctx.param('name'), { force: ctx.bool('force') });
      ctx.sendStatus(204);
    });
}

