import assert from 'node:assert/strict';
import { BERTH, DOCKER, exec, type TestDaemon } from './harness.js';

/** A real terminal: a tmux session running one command, read with capture-pane. */
export class Terminal {
  private constructor(readonly name: string) {}

  static async open(label: string, command: string, size = { cols: 100, rows: 30 }): Promise<Terminal> {
    // Unique per test process: several test runs may share the tmux server.
    const name = `${label}-${process.pid}`;
    await exec('tmux', ['kill-session', '-t', name]);
    const r = await exec('tmux', ['new-session', '-d', '-s', name, '-x', String(size.cols), '-y', String(size.rows), `${command}; echo "[exit=$?]"; sleep 30`]);
    assert.equal(r.code, 0, r.stderr);
    return new Terminal(name);
  }

  async type(...keys: string[]): Promise<void> {
    await exec('tmux', ['send-keys', '-t', this.name, ...keys]);
  }

  async screen(): Promise<string> {
    return (await exec('tmux', ['capture-pane', '-p', '-t', this.name])).stdout;
  }

  /** Waits until the screen matches `re`; returns the screen. */
  async waitFor(re: RegExp, timeoutMs = 10_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < until) {
      last = await this.screen();
      if (re.test(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`terminal ${this.name} never showed ${String(re)}; it shows:\n${last}`);
  }

  /**
   * Types `command` until the screen matches `re`: a resize reaches the
   * container asynchronously, so a loaded machine may need a second try.
   */
  async typeUntil(command: string, re: RegExp, attempts = 10): Promise<string> {
    for (let i = 1; ; i++) {
      await this.type(command, 'Enter');
      try {
        return await this.waitFor(re, 2000);
      } catch (e: unknown) {
        if (i >= attempts) throw e;
      }
    }
  }

  async resize(cols: number, rows: number): Promise<void> {
    await exec('tmux', ['resize-window', '-t', this.name, '-x', String(cols), '-y', String(rows)]);
  }

  async close(): Promise<void> {
    await exec('tmux', ['kill-session', '-t', this.name]);
  }
}

/** The shell command that runs `args` with one of the two CLIs against daemon `d`. */
export function cliCommand(d: TestDaemon, cli: 'berth' | 'docker', args: string): string {
  return cli === 'berth' ? `BERTH_HOST=${d.host} ${BERTH} ${args}` : `DOCKER_HOST=${d.host} ${DOCKER} ${args}`;
}
