import type { Readable } from 'node:stream';
import { ApiError } from '../../client/api-error.js';
import type { JsonStreamMessage } from '../../client/engine-types.js';
import { progressBar } from '../../units/progress-bar.js';

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
 * Prints a JSON progress stream the way docker's jsonmessage.DisplayJSONMessagesStream does.
 * Not on a terminal: "id: status" lines, `stream` text as is, progress bars left out. On a
 * terminal (`tty` with its width): one line per layer ID, redrawn in place with its bar.
 * An error message ends the stream with that error.
 */
export async function displayJsonStream(body: Readable, write: (text: string) => void, tty?: { columns: number }): Promise<void> {
  const lines = new Map<string, number>();
  for await (const m of jsonMessages(body)) {
    const error = m.errorDetail?.message ?? m.error;
    if (m.errorDetail !== undefined || (m.error !== undefined && m.error !== '')) {
      throw new ApiError(m.errorDetail?.code ?? 500, error ?? '');
    }
    if (m.aux !== undefined) continue;
    if (tty !== undefined) {
      writeOnTerminal(m, lines, write, tty.columns);
      continue;
    }
    if (m.progress !== undefined && m.progress !== '') continue;
    let line = m.id !== undefined && m.id !== '' ? `${m.id}: ` : '';
    line += m.stream !== undefined && m.stream !== '' ? m.stream : `${m.status ?? ''}\n`;
    write(line);
  }
}

/** One message on a terminal: progress lines keep their row and are redrawn in place. */
function writeOnTerminal(m: JsonStreamMessage, lines: Map<string, number>, write: (text: string) => void, columns: number): void {
  let diff = 0;
  if (m.id !== undefined && m.id !== '') {
    let line = lines.get(m.id);
    if (line === undefined) {
      line = lines.size;
      lines.set(m.id, line);
      write('\n');
    }
    diff = lines.size - line;
    write(`\x1b[${diff}A`);
  } else {
    lines.clear();
  }
  const hasProgress = m.progressDetail !== undefined && m.stream === undefined;
  const endl = hasProgress ? '\r' : '';
  let out = hasProgress ? '\x1b[2K\r' : '';
  if (m.id !== undefined && m.id !== '') out += `${m.id}: `;
  const detail = m.progressDetail;
  if (hasProgress) {
    const bar = detail?.current !== undefined || detail?.total !== undefined ? progressBar(detail.current ?? 0, detail.total ?? 0, columns) : '';
    out += `${m.status ?? ''} ${bar}${endl}`;
  } else if (m.stream !== undefined && m.stream !== '') {
    out += m.stream;
  } else {
    out += `${m.status ?? ''}\n`;
  }
  write(out);
  if (diff > 0) write(`\x1b[${diff}B`);
}
