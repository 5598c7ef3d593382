import { EventEmitter } from 'node:events';

export type EventType = 'container' | 'image' | 'volume' | 'network' | 'daemon';

export interface EngineEvent {
  readonly type: EventType;
  readonly action: string;
  readonly actor: { readonly id: string; readonly attributes: Readonly<Record<string, string>> };
  /** Nanoseconds since the epoch. */
  readonly timeNano: bigint;
}

/** Which past events a subscriber asks for (nanoseconds since the epoch; undefined: no bound). */
export interface EventWindow {
  readonly sinceNano?: bigint | undefined;
  readonly untilNano?: bigint | undefined;
}

/**
 * The engine's event stream, behind `/events` and internal waiters. Keeps a
 * short history for subscribers that ask for past events (`since`, `until`).
 */
export class EventBus {
  private readonly emitter = new EventEmitter();
  private readonly history: EngineEvent[] = [];

  constructor(private readonly historySize = 1024) {
    this.emitter.setMaxListeners(0);
  }

  publish(type: EventType, action: string, id: string, attributes: Record<string, string> = {}): void {
    const ev: EngineEvent = { type, action, actor: { id, attributes }, timeNano: nowNano() };
    this.history.push(ev);
    if (this.history.length > this.historySize) this.history.shift();
    this.emitter.emit('event', ev);
  }

  subscribe(listener: (ev: EngineEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  since(timeNano: bigint): EngineEvent[] {
    return this.history.filter((e) => e.timeNano >= timeNano);
  }

  /**
   * Docker's SubscribeTopic: the kept events in the window that `include` accepts
   * (none when neither bound is given), and from now on every new event it accepts,
   * with nothing lost or repeated between the two.
   */
  subscribeWindow(window: EventWindow, include: (ev: EngineEvent) => boolean, listener: (ev: EngineEvent) => void): { past: EngineEvent[]; unsubscribe: () => void } {
    const { sinceNano, untilNano } = window;
    const past = sinceNano === undefined && untilNano === undefined ? [] : this.history.filter((e) =>
      (sinceNano === undefined || e.timeNano >= sinceNano) && (untilNano === undefined || e.timeNano <= untilNano) && include(e));
    const unsubscribe = this.subscribe((e) => {
      if (include(e)) listener(e);
    });
    return { past, unsubscribe };
  }
}

let lastNano = 0n;
/** Wall-clock time in nanoseconds, strictly increasing within this process. */
export function nowNano(): bigint {
  const ms = BigInt(Date.now()) * 1_000_000n;
  const sub = process.hrtime.bigint() % 1_000_000n;
  let t = ms + sub;
  if (t <= lastNano) t = lastNano + 1n;
  lastNano = t;
  return t;
}
