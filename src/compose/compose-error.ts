/** A compose file or option the loader rejects; the message is what the user sees, as compose v2 words it. */
export class ComposeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ComposeError';
  }
}

/** A dotted path into the model as compose v2 prints it: `services.web.ports.0`. */
export function keyPath(path: readonly (string | number)[]): string {
  return path.map(String).join('.');
}
