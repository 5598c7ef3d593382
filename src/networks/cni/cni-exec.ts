import { spawn } from 'node:child_process';
import path from 'node:path';
import { EngineError } from '../../engine-error.js';

export type CniCommand = 'ADD' | 'DEL' | 'CHECK';

export interface CniRuntime {
  readonly containerId: string;
  readonly netns: string;
  readonly ifname: string;
}

/** A CNI plugin refused or failed: its `msg` and `details`. */
export class CniError extends EngineError {
  constructor(message: string, readonly code: number) {
    super('internal', message);
    this.name = 'CniError';
  }
}

/**
 * Runs one CNI plugin as the CNI spec says: the operation and container in the
 * environment, the network configuration on stdin, the result on stdout.
 */
export function execPlugin(pluginDir: string, command: CniCommand, rt: CniRuntime, config: Record<string, unknown>): Promise<unknown> {
  const type = String(config['type']);
  if (!/^[a-z0-9_-]+$/i.test(type)) return Promise.reject(new CniError(`invalid CNI plugin type ${type}`, 1));
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(pluginDir, type), [], {
      env: {
        PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin',
        CNI_COMMAND: command,
        CNI_CONTAINERID: rt.containerId,
        CNI_NETNS: rt.netns,
        CNI_IFNAME: rt.ifname,
        CNI_PATH: pluginDir,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', (e) => reject(new CniError(`cannot run CNI plugin ${type}: ${e.message}`, 1)));
    child.on('close', (code) => {
      let parsed: unknown;
      try {
        parsed = out.trim() === '' ? undefined : JSON.parse(out);
      } catch {
        parsed = undefined;
      }
      if (code === 0) {
        resolve(parsed);
        return;
      }
      const e = parsed as { code?: unknown; msg?: unknown; details?: unknown } | undefined;
      const msg = typeof e?.msg === 'string' ? `${e.msg}${typeof e.details === 'string' && e.details !== '' ? `: ${e.details}` : ''}` : (err.trim() || `exit status ${code ?? 'signal'}`);
      reject(new CniError(`plugin type="${type}" failed (${command.toLowerCase()}): ${msg}`, typeof e?.code === 'number' ? e.code : 1));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(JSON.stringify(config));
  });
}
