/**
 * Progress of a pull, push or load, as the engine reports it. api/ turns these into
 * Docker's JSON message stream (status, progressDetail, id).
 */
export interface ProgressEvent {
  /** A layer's short ID or a tag; none for whole-operation lines ("Digest: ..."). */
  readonly id?: string;
  readonly status: string;
  /** Text for the `stream` field (load's "Loaded image: ..."). */
  readonly stream?: string;
  /** Set for per-layer lines: they carry a (possibly empty) progressDetail. */
  readonly layer?: boolean;
  readonly current?: number;
  readonly total?: number;
  /** The push result (Docker's `aux` message). */
  readonly pushed?: { readonly tag: string; readonly digest: string; readonly size: number };
}

export type ProgressSink = (event: ProgressEvent) => void;

/** Reports byte counts at most every `intervalMs` (and always the last one). */
export function throttledBytes(emit: (current: number) => void, intervalMs = 100): { update(n: number): void; flush(): void } {
  let last = 0;
  let pending: number | undefined;
  return {
    update(n: number): void {
      const now = Date.now();
      if (now - last >= intervalMs) {
        last = now;
        pending = undefined;
        emit(n);
      } else {
        pending = n;
      }
    },
    flush(): void {
      if (pending !== undefined) emit(pending);
      pending = undefined;
    },
  };
}

/** A layer's ID in progress lines: the first 12 hex digits of its digest. */
export function shortId(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}
