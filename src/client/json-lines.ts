/** The non-empty lines of a newline-delimited stream (`/events`, `/containers/{id}/stats`), as they arrive. */
export async function* streamLines(stream: AsyncIterable<unknown>): AsyncGenerator<string> {
  let pending = '';
  for await (const chunk of stream) {
    pending += Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      const line = pending.slice(0, nl).trim();
      pending = pending.slice(nl + 1);
      if (line !== '') yield line;
    }
  }
  if (pending.trim() !== '') yield pending.trim();
}
