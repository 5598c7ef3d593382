/** A volume as berth keeps it (Docker's JSON shape is in api/). */
export interface VolumeRecord {
  readonly name: string;
  readonly driver: 'local';
  readonly created: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Local driver options: `type`, `device`, `o` (mount(8) style), e.g. tmpfs or a bind of a host path. */
  readonly options: Readonly<Record<string, string>>;
  /** Made for a container's `-v /path` or an image VOLUME, not by name. */
  readonly anonymous: boolean;
}

export const ANONYMOUS_LABEL = 'com.docker.volume.anonymous';
