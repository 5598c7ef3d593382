/**
 * BuildKit-style progress drawn from the legacy builder's message stream that
 * the daemon sends: plain lines (`#N [i/n] INSTRUCTION`, output with its time,
 * `CACHED`, `DONE 0.3s`), or on a terminal a live view redrawn in place
 * (`[+] Building 1.2s (3/5)`, one line per step with its time, the running
 * step's last output lines under it).
 */
interface Vertex {
  readonly n: number;
  readonly label: string;
  readonly started: number;
  ended?: number;
  cached: boolean;
  readonly logs: string[];
}

export class BuildProgressView {
  private readonly vertices: Vertex[] = [];
  private partial = '';
  private readonly started = Date.now();
  private total = 0;
  private drawnLines = 0;
  private timer: NodeJS.Timeout | undefined;
  private done = false;

  constructor(private readonly write: (text: string) => void, private readonly quiet: boolean, private readonly tty = false, private readonly columns = 80) {}

  /** One `stream` message: may hold several lines, or part of one. */
  stream(text: string): void {
    this.partial += text;
    let nl: number;
    while ((nl = this.partial.indexOf('\n')) >= 0) {
      this.line(this.partial.slice(0, nl));
      this.partial = this.partial.slice(nl + 1);
    }
    this.schedule();
  }

  private get current(): Vertex | undefined {
    const v = this.vertices.at(-1);
    return v !== undefined && v.ended === undefined ? v : undefined;
  }

  private open(label: string): Vertex {
    this.close();
    const v: Vertex = { n: this.vertices.length + 1, label, started: Date.now(), cached: false, logs: [] };
    this.vertices.push(v);
    this.plain(`\n#${v.n} ${label}\n`);
    return v;
  }

  private line(line: string): void {
    const step = /^Step (\d+)\/(\d+) : (.*)$/.exec(line);
    if (step !== null) {
      this.total = Number(step[2]);
      this.open(`[${step[1] ?? ''}/${step[2] ?? ''}] ${step[3] ?? ''}`);
      return;
    }
    if (line === ' ---> Using cache') {
      const c = this.current;
      if (c !== undefined) c.cached = true;
      return;
    }
    if (/^ ---> /.test(line) || /^Removing intermediate container /.test(line)) return;
    const built = /^Successfully built (\S+)$/.exec(line);
    if (built !== null) {
      const v = this.open('exporting to image');
      this.log(v, `writing image ${built[1] ?? ''} done`);
      return;
    }
    const tagged = /^Successfully tagged (\S+)$/.exec(line);
    if (tagged !== null) {
      const v = this.current ?? this.open('exporting to image');
      this.log(v, `naming to ${tagged[1] ?? ''} done`);
      return;
    }
    const c = this.current;
    if (c === undefined) {
      if (!this.tty) this.plain(`${line}\n`);
      return;
    }
    this.log(c, `${((Date.now() - c.started) / 1000).toFixed(3)} ${line}`, line);
  }

  private log(v: Vertex, plainText: string, ttyText = plainText): void {
    v.logs.push(ttyText);
    this.plain(`#${v.n} ${plainText}\n`);
  }

  private close(): void {
    const c = this.current;
    if (c === undefined) return;
    c.ended = Date.now();
    this.plain(c.cached ? `#${c.n} CACHED\n` : `#${c.n} DONE ${((c.ended - c.started) / 1000).toFixed(1)}s\n`);
  }

  finish(): void {
    if (this.partial !== '') this.line(this.partial);
    this.partial = '';
    this.close();
    this.done = true;
    this.render();
  }

  /** The build failed: BuildKit's error block. */
  fail(message: string): void {
    if (this.partial !== '') this.line(this.partial);
    this.partial = '';
    const c = this.current;
    this.done = true;
    if (c !== undefined) c.ended = Date.now();
    this.render();
    if (c !== undefined) this.write(`${this.tty ? '' : `#${c.n} ERROR: ${message}\n`}------\n > ${c.label}:\n${c.logs.slice(-10).map((l) => `${l.replace(/^\d+\.\d{3} /, '')}\n`).join('')}------\n`);
    this.write(`ERROR: failed to solve: ${message}\n`);
  }

  private plain(text: string): void {
    if (!this.quiet && !this.tty) this.write(text);
  }

  private schedule(): void {
    if (!this.tty || this.quiet || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.done) this.render();
    }, 100);
  }

  /** Redraws the live view over the previous one. */
  private render(): void {
    if (!this.tty || this.quiet) return;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const now = Date.now();
    const width = Math.max(40, this.columns);
    const finished = this.vertices.filter((v) => v.ended !== undefined && v.label !== 'exporting to image').length;
    const lines = [`[+] Building ${((now - this.started) / 1000).toFixed(1)}s (${finished}/${this.total || this.vertices.length})${this.done ? ' FINISHED' : ''}`];
    for (const v of this.vertices) {
      const t = `${(((v.ended ?? now) - v.started) / 1000).toFixed(1)}s`;
      const head = ` => ${v.cached ? 'CACHED ' : ''}${v.label}`;
      lines.push(fit(head, t, width));
      if (v.label === 'exporting to image') for (const l of v.logs) lines.push(fit(` => => ${l}`, '', width));
      else if (v.ended === undefined) for (const l of v.logs.slice(-6)) lines.push(fit(` => => # ${l}`, '', width));
    }
    let out = this.drawnLines > 0 ? `\x1b[${this.drawnLines}A` : '';
    for (const l of lines) out += `\x1b[2K${l}\n`;
    this.write(out);
    this.drawnLines = lines.length;
  }
}

/** `text` and `right` on one line of `width` columns, `text` cut to fit. */
function fit(text: string, right: string, width: number): string {
  const room = width - right.length - 1;
  const t = text.length > room ? `${text.slice(0, Math.max(0, room - 1))}…` : text;
  return right === '' ? t : `${t.padEnd(room)} ${right}`;
}
