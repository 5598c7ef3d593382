/**
 * Splits a `command:`/`entrypoint:` string into words as compose v2 does (mattn/go-shellwords):
 * whitespace separates, single quotes are literal, double quotes and backslashes escape.
 */
export function splitShellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (quote === "'") {
      if (c === "'") quote = '';
      else word += c;
      continue;
    }
    if (c === '\\' && i + 1 < text.length) {
      const n = text[++i] ?? '';
      if (quote === '"' && !['"', '\\', '$', '`'].includes(n)) word += '\\';
      word += n;
      inWord = true;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = '';
      else word += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote !== '') throw new Error(`invalid command line string`);
  if (inWord) words.push(word);
  return words;
}
