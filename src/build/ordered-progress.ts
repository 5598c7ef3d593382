import type { BuildProgress } from './step-env.js';

type Event = { kind: 'step'; n: number; total: number; text: string } | { kind: 'info'; text: string } | { kind: 'output'; stream: 'stdout' | 'stderr'; data: Buffer };

/**
 * Stages that run at the same time report in Dockerfile order, as one
 * sequential log: the first unfinished stage writes through, later ones are
 * held back until every stage before them is done.
 */
export class OrderedProgress {
  private readonly buffers = new Map<number, Event[]>();
  private readonly done = new Set<number>();
  private head = 0;

  constructor(private readonly out: BuildProgress, private readonly order: readonly number[]) {}

  for(stage: number): BuildProgress {
    const emit = (e: Event): void => {
      if (this.order[this.head] === stage) this.write(e);
      else {
        const b = this.buffers.get(stage) ?? [];
        b.push(e);
        this.buffers.set(stage, b);
      }
    };
    return {
      step: (n, total, text) => emit({ kind: 'step', n, total, text }),
      info: (text) => emit({ kind: 'info', text }),
      output: (stream, data) => emit({ kind: 'output', stream, data }),
    };
  }

  /** Stage `stage` has finished (or failed): the next ones may write. */
  finished(stage: number): void {
    this.done.add(stage);
    while (this.head < this.order.length) {
      const current = this.order[this.head];
      if (current === undefined) break;
      for (const e of this.buffers.get(current) ?? []) this.write(e);
      this.buffers.delete(current);
      if (!this.done.has(current)) break;
      this.head++;
    }
  }

  private write(e: Event): void {
    if (e.kind === 'step') this.out.step(e.n, e.total, e.text);
    else if (e.kind === 'info') this.out.info(e.text);
    else this.out.output(e.stream, e.data);
  }
}
