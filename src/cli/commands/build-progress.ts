/**
 * BuildKit-style plain progress (`#N [i/n] INSTRUCTION`, output lines with
 * their time, `CACHED`, `DONE 0.3s`) drawn from the legacy builder's message
 * stream that the daemon sends.
 */
export class BuildProgressView {
  private vertex = 0;
  private current: { n: number; started: number; cached: boolean; label: string } | undefined;
  private partial = '';
  private readonly started = Date.now();

  constructor(private readonly write: (text: string) => void, private readonly quiet: boolean) {}

  /** One `stream` message: may hold several lines, or part of one. */
  stream(text: string): void {
    this.partial += text;
    let nl: number;
    while ((nl = this.partial.indexOf('\n')) >= 0) {
      this.line(this.partial.slice(0, nl));
      this.partial = this.partial.slice(nl + 1);
    }
  }

  private line(line: string): void {
    const step = /^Step (\d+)\/(\d+) : (.*)$/.exec(line);
    if (step !== null) {
      this.close();
      this.vertex++;
      this.current = { n: this.vertex, started: Date.now(), cached: false, label: `[${step[1] ?? ''}/${step[2] ?? ''}] ${step[3] ?? ''}` };
      this.print(`\n#${this.vertex} ${this.current.label}\n`);
      return;
    }
    if (line === ' ---> Using cache') {
      if (this.current !== undefined) this.current.cached = true;
      return;
    }
    if (/^ ---> /.test(line) || /^Removing intermediate container /.test(line)) return;
    const built = /^Successfully built (\S+)$/.exec(line);
    if (built !== null) {
      this.close();
      this.vertex++;
      this.print(`\n#${this.vertex} exporting to image\n#${this.vertex} writing image ${built[1] ?? ''} done\n`);
      return;
    }
    const tagged = /^Successfully tagged (\S+)$/.exec(line);
    if (tagged !== null) {
      this.print(`#${this.vertex} naming to ${tagged[1] ?? ''} done\n`);
      return;
    }
    if (this.current !== undefined) {
      const t = ((Date.now() - this.current.started) / 1000).toFixed(3);
      this.print(`#${this.current.n} ${t} ${line}\n`);
    } else {
      this.print(`${line}\n`);
    }
  }

  private close(): void {
    const c = this.current;
    if (c === undefined) return;
    this.print(c.cached ? `#${c.n} CACHED\n` : `#${c.n} DONE ${((Date.now() - c.started) / 1000).toFixed(1)}s\n`);
    this.current = undefined;
  }

  finish(): void {
    if (this.partial !== '') this.line(this.partial);
    this.partial = '';
    this.close();
    if (this.vertex > 0) this.print(`#${this.vertex} DONE ${((Date.now() - this.started) / 1000).toFixed(1)}s\n`);
  }

  /** The build failed: BuildKit's error block. */
  fail(message: string): void {
    if (this.partial !== '') this.line(this.partial);
    const c = this.current;
    if (c !== undefined) this.write(`#${c.n} ERROR: ${message}\n------\n > ${c.label}:\n------\n`);
    this.current = undefined;
    this.write(`ERROR: failed to solve: ${message}\n`);
  }

  private print(text: string): void {
    if (!this.quiet) this.write(text);
  }
}
