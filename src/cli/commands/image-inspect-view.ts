/**
 * What `image inspect` works on: the daemon's raw JSON, re-indented as Go's json.Indent does
 * (so field order and text stay the daemon's), and a typed view for `--format` templates that
 * behaves like the docker CLI's image.InspectResponse struct (API types v28): its fields in
 * Go order, `omitempty` fields left out of `json`, unknown fields an error (docker then
 * retries the template on the raw JSON, as does image-inspect.ts).
 */
import { typedStruct, type GoField } from './image-go-struct.js';

/** Go's json.Indent (prefix "", the given indent) of JSON text. */
export function indentJson(src: string, indent: string): string {
  let out = '';
  let depth = 0;
  let needIndent = false;
  const newline = (): void => {
    out += `\n${indent.repeat(depth)}`;
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i] ?? '';
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    if (needIndent && c !== ']' && c !== '}') {
      needIndent = false;
      depth++;
      newline();
    }
    switch (c) {
      case '"': {
        const end = stringEnd(src, i);
        out += src.slice(i, end);
        i = end - 1;
        break;
      }
      case '{':
      case '[':
        needIndent = true;
        out += c;
        break;
      case ',':
        out += c;
        newline();
        break;
      case ':':
        out += ': ';
        break;
      case '}':
      case ']':
        if (needIndent) needIndent = false;
        else {
          depth--;
          newline();
        }
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

/** Go's json.Compact: JSON text without insignificant whitespace. */
export function compactJson(src: string): string {
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i] ?? '';
    if (c === '"') {
      const end = stringEnd(src, i);
      out += src.slice(i, end);
      i = end - 1;
    } else if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') out += c;
  }
  return out;
}

/** The index just past the JSON string starting at `start`. */
function stringEnd(src: string, start: number): number {
  let i = start + 1;
  while (i < src.length && src[i] !== '"') i += src[i] === '\\' ? 2 : 1;
  return i + 1;
}

const CONFIG: readonly GoField[] = [
  { name: 'User', kind: 'string', omitempty: true },
  { name: 'ExposedPorts', kind: 'map', omitempty: true },
  { name: 'Env', kind: 'slice', omitempty: true },
  { name: 'Entrypoint', kind: 'slice', omitempty: true },
  { name: 'Cmd', kind: 'slice', omitempty: true },
  { name: 'Volumes', kind: 'map', omitempty: true },
  { name: 'WorkingDir', kind: 'string', omitempty: true },
  { name: 'Labels', kind: 'map', omitempty: true },
  { name: 'StopSignal', kind: 'string', omitempty: true },
  { name: 'ArgsEscaped', kind: 'bool', omitempty: true },
  { name: 'Healthcheck', kind: 'pointer', omitempty: true },
  { name: 'OnBuild', kind: 'slice', omitempty: true },
  { name: 'Shell', kind: 'slice', omitempty: true },
];

const INSPECT_RESPONSE: readonly GoField[] = [
  { name: 'Id', kind: 'string' },
  { name: 'RepoTags', kind: 'slice' },
  { name: 'RepoDigests', kind: 'slice' },
  { name: 'Parent', kind: 'string' },
  { name: 'Comment', kind: 'string' },
  { name: 'Created', kind: 'string', omitempty: true },
  { name: 'Container', kind: 'string', omitempty: true },
  { name: 'ContainerConfig', kind: 'pointer', omitempty: true },
  { name: 'DockerVersion', kind: 'string' },
  { name: 'Author', kind: 'string' },
  { name: 'Config', kind: 'pointer', fields: CONFIG },
  { name: 'Architecture', kind: 'string' },
  { name: 'Variant', kind: 'string', omitempty: true },
  { name: 'Os', kind: 'string' },
  { name: 'OsVersion', kind: 'string', omitempty: true },
  { name: 'Size', kind: 'number' },
  { name: 'VirtualSize', kind: 'number', omitempty: true },
  { name: 'GraphDriver', kind: 'struct', fields: [{ name: 'Data', kind: 'map' }, { name: 'Name', kind: 'string' }] },
  { name: 'RootFS', kind: 'struct', fields: [{ name: 'Type', kind: 'string' }, { name: 'Layers', kind: 'slice', omitempty: true }] },
  { name: 'Metadata', kind: 'struct', fields: [{ name: 'LastTagTime', kind: 'time' }] },
  { name: 'Descriptor', kind: 'pointer', omitempty: true },
  { name: 'Manifests', kind: 'slice', omitempty: true },
];

/** The typed view of one GET /images/{name}/json answer. */
export function imageInspectView(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  return typedStruct('image.InspectResponse', INSPECT_RESPONSE, raw as Record<string, unknown>);
}
