/** The daemon answered with an error status: `message` is its `{"message": ...}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The daemon could not be reached. */
export class ConnectionError extends Error {
  constructor(
    readonly host: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot connect to the berth daemon at ${host}. Is the berth daemon running?`, options);
    this.name = 'ConnectionError';
  }
}
