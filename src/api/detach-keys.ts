import { invalidArgument } from '../engine-error.js';

/** Parses Docker's detach keys ("ctrl-p,ctrl-q", "a", "ctrl-@") into the byte sequence. */
export function parseDetachKeys(spec: string): Buffer {
  const bytes: number[] = [];
  for (const key of spec.split(',')) {
    const k = key.trim();
    const ctrl = /^ctrl-(.)$/i.exec(k);
    if (ctrl !== null) {
      const c = (ctrl[1] ?? '').toLowerCase();
      const code = c.charCodeAt(0);
      if (c >= 'a' && c <= 'z') bytes.push(code - 96);
      else if ('@[\\]^_'.includes(c)) bytes.push(code - 64);
      else throw invalidArgument(`Invalid detach keys (${spec}) provided`);
    } else if (k.length === 1) {
      bytes.push(k.charCodeAt(0));
    } else {
      throw invalidArgument(`Invalid detach keys (${spec}) provided`);
    }
  }
  return Buffer.from(bytes);
}

/**
 * Watches a client's input for the detach sequence: bytes that could start it
 * are held back until it is clear whether they complete it.
 */
export class DetachDetector {
  private held = Buffer.alloc(0);

  constructor(private readonly keys: Buffer) {}

  /** The bytes to pass on, and whether the sequence was typed. */
  feed(chunk: Buffer): { data: Buffer; detached: boolean } {
    if (this.keys.length === 0) return { data: chunk, detached: false };
    const out: number[] = [];
    for (const b of chunk) {
      const candidate = Buffer.concat([this.held, Buffer.from([b])]);
      if (this.keys.subarray(0, candidate.length).equals(candidate)) {
        if (candidate.length === this.keys.length) return { data: Buffer.from(out), detached: true };
        this.held = candidate;
        continue;
      }
      out.push(...this.held);
      this.held = Buffer.alloc(0);
      if (this.keys[0] === b) this.held = Buffer.from([b]);
      else out.push(b);
    }
    return { data: Buffer.from(out), detached: false };
  }
}
