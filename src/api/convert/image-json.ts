import type { HistoryItem, ImageDetails, ImageSummary, RemoveReportItem } from '../../images/image-service.js';

/** Docker's JSON shapes of images, from the engine's image reports. */

function unix(d: Date | undefined): number {
  return d === undefined ? 0 : Math.floor(d.getTime() / 1000);
}

export function imageListJson(s: ImageSummary & { sharedSize?: number }, opts: { apiVersion: (v: string) => boolean; withContainers: boolean }): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Containers: opts.withContainers ? s.containers : -1,
    Created: unix(s.created),
    Id: s.id,
    Labels: Object.keys(s.labels).length > 0 ? s.labels : null,
    ParentId: '',
    RepoDigests: s.repoDigests,
    RepoTags: s.repoTags,
    SharedSize: s.sharedSize ?? -1,
    Size: s.size,
  };
  if (!opts.apiVersion('1.44')) out['VirtualSize'] = s.size;
  return out;
}

export function imageInspectJson(d: ImageDetails, opts: { apiVersion: (v: string) => boolean }): Record<string, unknown> {
  const c = d.config;
  const defaults = c.config ?? {};
  const config = {
    Hostname: '', Domainname: '', User: defaults.User ?? '', AttachStdin: false, AttachStdout: false, AttachStderr: false,
    ...(defaults.ExposedPorts !== undefined ? { ExposedPorts: defaults.ExposedPorts } : {}),
    Tty: false, OpenStdin: false, StdinOnce: false,
    Env: defaults.Env ?? null,
    Cmd: defaults.Cmd ?? null,
    ...(defaults.Healthcheck !== undefined ? { Healthcheck: defaults.Healthcheck } : {}),
    ...(defaults.ArgsEscaped !== undefined ? { ArgsEscaped: defaults.ArgsEscaped } : {}),
    Image: '',
    Volumes: defaults.Volumes ?? null,
    WorkingDir: defaults.WorkingDir ?? '',
    Entrypoint: defaults.Entrypoint ?? null,
    OnBuild: defaults.OnBuild ?? null,
    Labels: defaults.Labels ?? null,
    ...(defaults.StopSignal !== undefined ? { StopSignal: defaults.StopSignal } : {}),
    ...(defaults.Shell !== undefined ? { Shell: defaults.Shell } : {}),
  };
  const out: Record<string, unknown> = {
    Id: d.id,
    RepoTags: d.repoTags,
    RepoDigests: d.repoDigests,
    Parent: '',
    Comment: c.comment ?? c.history?.[c.history.length - 1]?.comment ?? '',
    Created: c.created ?? '',
  };
  if (!opts.apiVersion('1.45')) {
    out['Container'] = '';
    out['ContainerConfig'] = config;
  }
  Object.assign(out, {
    DockerVersion: '',
    Author: c.author ?? '',
    Config: config,
    Architecture: c.architecture,
    ...(c.variant !== undefined ? { Variant: c.variant } : {}),
    Os: c.os,
    Size: d.size,
  });
  if (!opts.apiVersion('1.44')) out['VirtualSize'] = d.size;
  Object.assign(out, {
    GraphDriver: { Data: null, Name: 'overlay2' },
    RootFS: { Type: 'layers', Layers: c.rootfs.diff_ids },
    Metadata: { LastTagTime: d.lastTagTime ?? '0001-01-01T00:00:00Z' },
  });
  return out;
}

export function historyJson(items: readonly HistoryItem[]): Array<Record<string, unknown>> {
  return items.map((h) => ({
    Comment: h.comment,
    Created: unix(h.created),
    CreatedBy: h.createdBy,
    Id: h.id,
    Size: h.size,
    Tags: h.tags.length > 0 ? h.tags : null,
  }));
}

export function removeReportJson(items: readonly RemoveReportItem[]): Array<Record<string, string>> {
  return items.map((i) => ('untagged' in i ? { Untagged: i.untagged } : { Deleted: i.deleted }));
}
