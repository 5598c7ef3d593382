import { spawn } from 'node:child_process';
import { openSync, promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** Whether something accepts connections on the unix socket. */
export function socketAlive(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(socketPath);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * Starts `berth daemon` in the background (for the default socket only) and
 * waits until it answers. Its log goes to /run/berth/daemon.log.
 */
export async function startLocalDaemon(socketPath: string, mainScript: string): Promise<boolean> {
  if (process.getuid?.() !== 0) return false;
  const logDir = path.dirname(socketPath);
  await fs.mkdir(logDir, { recursive: true });
  const logFd = openSync(path.join(logDir, 'daemon.log'), 'a');
  const child = spawn(process.execPath, [mainScript, 'daemon'], { detached: true, stdio: ['ignore', logFd, logFd] });
  child.unref();
  for (let i = 0; i < 200; i++) {
    if (await socketAlive(socketPath)) return true;
    if (child.exitCode !== null) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}
