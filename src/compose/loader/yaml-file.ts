import { isMap, isPair, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { ComposeError } from '../compose-error.js';

/** Deeper than this is no compose file; it is an attack on the parser or on us. */
export const MAX_DEPTH = 100;
/** Aliases that expand to more nodes than this are a "billion laughs" YAML bomb. */
const MAX_ALIAS_COUNT = 1000;

/**
 * Parses one compose file's YAML (anchors, aliases and `<<` merge keys allowed) into plain
 * data, refusing YAML bombs and absurd nesting with a clear message instead of hanging.
 */
export function parseComposeYaml(text: string, file: string): unknown {
  return parseComposeDocument(text, file).data;
}

/** A parsed file with the keys it marks `!reset` (drop what earlier files set) or `!override` (replace instead of merge). */
export interface ComposeDocument {
  readonly data: unknown;
  readonly resets: readonly string[][];
  readonly overrides: readonly string[][];
}

/** Finds the mapping keys tagged `!reset` / `!override` (compose v2's merge tags) and clears the tags. */
function mergeTags(doc: Document): { resets: string[][]; overrides: string[][] } {
  const resets: string[][] = [];
  const overrides: string[][] = [];
  const stack: Array<[unknown, string[]]> = [[doc.contents, []]];
  while (stack.length > 0) {
    const [node, path] = stack.pop() as [unknown, string[]];
    if (path.length > MAX_DEPTH) continue;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const value = pair.value as { tag?: string } | null;
        if (value !== null && typeof value === 'object') {
          if (value.tag === '!reset') resets.push([...path, key]);
          if (value.tag === '!override') overrides.push([...path, key]);
          if (value.tag === '!reset' || value.tag === '!override') delete value.tag;
        }
        stack.push([pair.value, [...path, key]]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => stack.push([item, [...path, String(i)]]));
    }
  }
  return { resets, overrides };
}

/** Parses one compose file, as parseComposeYaml, also returning its `!reset`/`!override` keys. */
export function parseComposeDocument(text: string, file: string): ComposeDocument {
  if (flowDepth(text) > MAX_DEPTH) throw new ComposeError(`${file}: yaml: document nested too deeply (more than ${MAX_DEPTH} levels)`);
  let doc;
  try {
    doc = parseDocument(text, { merge: true, uniqueKeys: true, prettyErrors: true });
  } catch (e: unknown) {
    throw new ComposeError(`${file}: yaml: ${errorText(e)}`, { cause: e });
  }
  const first = doc.errors[0];
  if (first !== undefined && /call stack/i.test(first.message)) throw new ComposeError(`${file}: yaml: document nested too deeply`);
  if (first !== undefined) {
    const line = first.linePos?.[0]?.line;
    throw new ComposeError(`${file}: yaml: ${line === undefined ? '' : `line ${line}: `}${first.message.split('\n')[0] ?? ''}`);
  }
  const tags = mergeTags(doc);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e: unknown) {
    if (e instanceof RangeError) throw new ComposeError(`${file}: yaml: document nested too deeply`, { cause: e });
    const msg = errorText(e);
    if (/alias count/i.test(msg)) throw new ComposeError(`${file}: yaml: document contains excessive aliasing (more than ${MAX_ALIAS_COUNT} alias expansions)`, { cause: e });
    throw new ComposeError(`${file}: yaml: ${msg}`, { cause: e });
  }
  checkDepth(value, file);
  return { data: value, ...tags };
}

/** The deepest nesting of `[`/`{` flow collections outside quotes and comments: a cheap guard before the parser recurses. */
function flowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== '') {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '\n') {
      if (depth === 0) quote = '';
    } else if (c === '[' || c === '{') max = Math.max(max, ++depth);
    else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return max;
}

function checkDepth(root: unknown, file: string): void {
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (node === null || typeof node !== 'object') continue;
    if (depth >= MAX_DEPTH) throw new ComposeError(`${file}: yaml: document nested too deeply (more than ${MAX_DEPTH} levels)`);
    for (const v of Object.values(node)) stack.push([v, depth + 1]);
  }
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
