import type { PortConfig } from './normalize/port-syntax.js';
import type { VolumeMount } from './normalize/volume-syntax.js';

/**
 * compose v2's canonical project, as `loadProject()` returns it and `config` prints it: long
 * syntax everywhere, defaults filled in, host paths absolute, durations as Go prints them.
 * Keys the spec allows but berth does not act on yet stay reachable through the index signature.
 */
export interface ComposeModel {
  name: string;
  services: Record<string, ServiceConfig>;
  networks?: Record<string, NetworkConfig>;
  volumes?: Record<string, VolumeConfig>;
  secrets?: Record<string, FileObjectConfig>;
  configs?: Record<string, FileObjectConfig>;
  [key: string]: unknown;
}

export interface ServiceConfig {
  image?: string;
  build?: BuildConfig;
  /** Split into words when written as a string; `null` (JSON only) when unset. */
  command?: string[];
  entrypoint?: string[];
  /** A `null` value: named without a value and not set in the environment. */
  environment?: Record<string, string | null>;
  env_file?: Array<{ path: string; required: boolean; format?: string }>;
  ports?: PortConfig[];
  expose?: string[];
  volumes?: VolumeMount[];
  tmpfs?: string[];
  depends_on?: Record<string, DependsOnConfig>;
  networks?: Record<string, ServiceNetworkConfig | null>;
  network_mode?: string;
  healthcheck?: HealthCheckConfig;
  restart?: string;
  deploy?: DeployConfig;
  labels?: Record<string, string>;
  profiles?: string[];
  container_name?: string;
  scale?: number;
  user?: string;
  working_dir?: string;
  hostname?: string;
  stop_signal?: string;
  stop_grace_period?: string;
  secrets?: Array<{ source: string; target?: string; uid?: string; gid?: string; mode?: number }>;
  configs?: Array<{ source: string; target?: string; uid?: string; gid?: string; mode?: number }>;
  [key: string]: unknown;
}

export interface BuildConfig {
  context: string;
  dockerfile?: string;
  dockerfile_inline?: string;
  args?: Record<string, string | null>;
  target?: string;
  labels?: Record<string, string>;
  cache_from?: string[];
  [key: string]: unknown;
}

export interface DependsOnConfig {
  condition: 'service_started' | 'service_healthy' | 'service_completed_successfully';
  restart?: boolean;
  required: boolean;
}

export interface ServiceNetworkConfig {
  aliases?: string[];
  ipv4_address?: string;
  ipv6_address?: string;
  priority?: number;
  [key: string]: unknown;
}

export interface HealthCheckConfig {
  test?: string[];
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
  start_interval?: string;
  disable?: boolean;
}

export interface DeployConfig {
  replicas?: number;
  resources?: { limits?: Record<string, unknown>; reservations?: Record<string, unknown> };
  restart_policy?: { condition?: string; delay?: string; max_attempts?: number; window?: string };
  [key: string]: unknown;
}

export interface NetworkConfig {
  /** The engine's name: `<project>_<key>` unless set, or the key for an external network. */
  name: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  ipam?: { driver?: string; config?: Array<Record<string, unknown>>; options?: Record<string, string> };
  external?: boolean;
  internal?: boolean;
  attachable?: boolean;
  labels?: Record<string, string>;
  [key: string]: unknown;
}

export interface VolumeConfig {
  name: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  external?: boolean;
  labels?: Record<string, string>;
  [key: string]: unknown;
}

export interface FileObjectConfig {
  name: string;
  file?: string;
  environment?: string;
  content?: string;
  external?: boolean;
  [key: string]: unknown;
}
