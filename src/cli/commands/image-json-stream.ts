import type { Readable } from 'node:stream';
import { ApiError } from '../../client/api-error.js';
import type { JsonStreamMessage } from '../../client/engine-types.js';

/** Splits a stream of concatenated JSON values (newline-separated or not) into their texts. */
async function* jsonValues(body: Readable): AsyncGenerator<string> {
  let buf = '';
  for await (const chunk of body) {
    buf += (chunk as Buffer).toString('utf8');
    let depth = 0;
    let inString = false;
    let start = -1;
    let consumed = 0;
    for (let i = 0; i < buf.length; i++) {
      const c = buf[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '{' || c === '[') {
        if (depth === 0) start = i;
        depth++;
      } else if ((c === '}' || c === ']') && --depth === 0) {
        yield buf.slice(start, i + 1);
        consumed = i + 1;
      }
    }
    buf = buf.slice(consumed);
  }
}

/** The messages of a JSON progress stream. */
export async function* jsonMessages(body: Readable): AsyncGenerator<JsonStreamMessage> {
  for await (const text of jsonValues(body)) yield JSON.parse(text) as JsonStreamMessage;
}

/**
 * Prints a JSON progress stream the way docker's jsonmessage.DisplayJSONMessagesStream does
 * when the output is not a terminal: "id: status" lines, `stream` text as is, progress bars
 * left out. An error message ends the stream with that error.
 */
export async function displayJsonStream(body: Readable, write: (text: string) => void): Promise<void> {
  for await (const m of jsonMessages(body)) {
    const error = m.errorDetail?.message ?? m.error;
    if (m.errorDetail !== undefined || (m.error !== undefined && m.error !== '')) {
      throw new ApiError(m.errorDetail?.code ?? 500, error ?? '');
    }
    if (m.aux !== undefined) continue;
    if (m.progress !== undefined && m.progress !== '') continue;
    let line = m.id !== undefined && m.id !== '' ? `${m.id}: ` : '';
    line += m.stream !== undefined && m.stream !== '' ? m.stream : `${m.status ?? ''}\n`;
    write(line);
  }
}
