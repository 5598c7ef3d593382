import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readJsonFile, writeJsonAtomic } from './atomic-file.js';
import { EngineError } from '../engine-error.js';

/**
 * The on-disk layout of berth, version 1.
 *
 * Data root (default /var/lib/berth), kept across reboots:
 *   layout.json                       {"version": 1}
 *   content/blobs/sha256/<hex>        blobs by digest: image configs, layer tars
 *   content/ingest/<ref>/data         blobs being written, verified, then renamed into blobs/
 *   images/<hex>.json                 image record: layer blobs and diffIDs of image sha256:<hex>
 *   images/references.json            tag and digest references -> image ID
 *   snapshots/<n>/snapshot.json       snapshot record (n is a short number: overlay options stay short)
 *   snapshots/<n>/fs                  an unpacked layer (committed snapshot)
 *   snapshots/<n>/upper, work         a container's writable layer (active snapshot)
 *   containers/<id>/container.json    container record (config and state)
 *   containers/<id>/config.json       OCI bundle config; rootfs/ is the overlay mountpoint
 *   containers/<id>/container.log     the log conmon writes (k8s-file format)
 *   containers/<id>/hosts, hostname, resolv.conf
 *   volumes/<name>/volume.json, _data volume record and content
 *   networks/<id>.json                network record
 *   networks/ipam/<cni-name>/<ip>     address leases (CNI host-local)
 *   build/cache/<key>.json            build step cache: step key -> the image config and layers it produced
 *   build/cache-mounts/<id>           RUN --mount=type=cache directories
 *   build/tmp/<build>                 a running build's context and mounts (swept at startup)
 *
 * Exec root (default /run/berth), lost on reboot by design:
 *   berth.sock                        the API socket
 *   exits/<id>                        exit code files written by conmon
 *   conmon/<id>.pid                   conmon's pid;  pids/<id>.pid: the container's init pid
 *   runtime/                          the OCI runtime's state (--root)
 *   sockets/                          conmon attach sockets
 *   netns/<container id>              network namespaces (bind-mounted nsfs files)
 *
 * Names starting with "." are temporary (being written or being removed) and are
 * swept at startup. The layout changes only with a migration in this module.
 */
export const LAYOUT_VERSION = 1;

export interface Layout {
  readonly dataRoot: string;
  readonly execRoot: string;
  readonly blobsDir: string;
  readonly ingestDir: string;
  readonly imagesDir: string;
  readonly snapshotsDir: string;
  readonly containersDir: string;
  readonly networksDir: string;
  readonly volumesDir: string;
  readonly netnsDir: string;
  readonly exitsDir: string;
  readonly conmonPidDir: string;
  readonly containerPidDir: string;
  readonly runtimeStateDir: string;
  readonly socketsDir: string;
  /** `docker exec` sessions: process spec, output log, control fifo. */
  readonly execSessionsDir: string;
}

export function layoutFor(dataRoot: string, execRoot: string): Layout {
  return {
    dataRoot,
    execRoot,
    blobsDir: path.join(dataRoot, 'content', 'blobs', 'sha256'),
    ingestDir: path.join(dataRoot, 'content', 'ingest'),
    imagesDir: path.join(dataRoot, 'images'),
    snapshotsDir: path.join(dataRoot, 'snapshots'),
    containersDir: path.join(dataRoot, 'containers'),
    networksDir: path.join(dataRoot, 'networks'),
    volumesDir: path.join(dataRoot, 'volumes'),
    netnsDir: path.join(execRoot, 'netns'),
    exitsDir: path.join(execRoot, 'exits'),
    conmonPidDir: path.join(execRoot, 'conmon'),
    containerPidDir: path.join(execRoot, 'pids'),
    runtimeStateDir: path.join(execRoot, 'runtime'),
    socketsDir: path.join(execRoot, 'sockets'),
    execSessionsDir: path.join(execRoot, 'exec'),
  };
}

/** Creates the directories and checks (or writes) the layout version. */
export async function prepareLayout(layout: Layout): Promise<void> {
  await fs.mkdir(layout.dataRoot, { recursive: true, mode: 0o711 });
  await fs.mkdir(layout.execRoot, { recursive: true, mode: 0o711 });
  const versionFile = path.join(layout.dataRoot, 'layout.json');
  const existing = await readJsonFile(versionFile);
  if (existing === undefined) {
    await writeJsonAtomic(versionFile, { version: LAYOUT_VERSION });
  } else {
    const v = typeof existing === 'object' && existing !== null ? (existing as { version?: unknown }).version : undefined;
    if (v !== LAYOUT_VERSION) {
      throw new EngineError('internal', `data root ${layout.dataRoot} has layout version ${String(v)}, this berth understands ${LAYOUT_VERSION}`);
    }
  }
  for (const dir of [
    layout.blobsDir, layout.ingestDir, layout.imagesDir, layout.snapshotsDir, layout.containersDir, layout.networksDir, layout.netnsDir,
    layout.exitsDir, layout.conmonPidDir, layout.containerPidDir, layout.runtimeStateDir, layout.socketsDir,
  ]) {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  }
}
