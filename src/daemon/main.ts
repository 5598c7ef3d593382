import { EngineError } from '../engine-error.js';
import { DAEMON_USAGE, loadDaemonConfig } from './daemon-config.js';
import { startDaemon } from './daemon.js';

function log(msg: string): void {
  process.stderr.write(`${new Date().toISOString()} berth: ${msg}\n`);
}

/** `berth daemon [OPTIONS]`: runs the daemon in the foreground until SIGTERM or SIGINT. */
export async function daemonMain(argv: readonly string[]): Promise<number> {
  let cfg;
  try {
    cfg = await loadDaemonConfig(argv);
  } catch (e: unknown) {
    process.stderr.write(`berth daemon: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  if (cfg === 'help') {
    process.stdout.write(DAEMON_USAGE);
    return 0;
  }
  if (process.getuid?.() !== 0) {
    process.stderr.write('berth daemon: must be run as root\n');
    return 1;
  }
  let daemon;
  try {
    daemon = await startDaemon(cfg, log);
  } catch (e: unknown) {
    log(`failed to start daemon: ${e instanceof EngineError || e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  const running = daemon;
  // One request's bug must not take the engine (and every attached client) down: log it and go on.
  process.on('uncaughtException', (e) => log(`uncaught: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
  process.on('unhandledRejection', (e) => log(`unhandled rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (sig: string): void => {
      if (stopping) return;
      stopping = true;
      log(`received ${sig}, shutting down (containers keep running)`);
      // Waiters, follows and watchers would keep the process alive: leave once shut down.
      const timer = setTimeout(() => process.exit(0), 5000);
      void running.shutdown().then(() => resolve(0), () => resolve(1)).finally(() => clearTimeout(timer));
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGPIPE', () => undefined);
  });
}
