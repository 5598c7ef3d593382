import { readAll } from '../../client/engine-client.js';
import { errorText } from '../cli-errors.js';
import { ExitError, type Command } from '../command.js';
import { parseTemplate, TemplateError, type Template } from '../format/go-template.js';
import { ArgumentTypeError, builtinFunctions } from '../format/go-template-funcs.js';
import { goStruct, omitted, templateErrorText } from './image-go-struct.js';
import { compactJson, indentJson } from './image-inspect-view.js';
import { INSPECT_FORMAT_HELP } from './system-format-flag.js';
import { volumePath } from './volume-rm.js';

/** docker's volume.Volume (API types v28): fields in Go order, as json.Marshal writes them. */
const VOLUME_FIELDS = [
  'ClusterVolume', 'CreatedAt', 'Driver', 'Labels', 'Mountpoint', 'Name', 'Options', 'Scope', 'Status', 'UsageData',
] as const;
const OMITEMPTY = new Set<string>(['ClusterVolume', 'CreatedAt', 'Status', 'UsageData']);
const MAPS = new Set<string>(['Labels', 'Options', 'Status']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A JSON value with every object's keys sorted, as Go marshals maps. */
function sortedDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedDeep);
  if (!isObject(v)) return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortedDeep(v[k])]));
}

/**
 * The volume.Volume the daemon's answer decodes into, as plain JSON: fields in Go order,
 * unknown ones dropped, empty `omitempty` ones left out, maps sorted, nil maps null.
 */
function volumeShape(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of VOLUME_FIELDS) {
    const v = raw[name];
    const isMap = MAPS.has(name);
    // A pointer (ClusterVolume, UsageData) is left out only when nil; a map or string when empty.
    const empty = v === undefined || v === null || v === '' || (isMap && isObject(v) && Object.keys(v).length === 0);
    if (OMITEMPTY.has(name) && empty) continue;
    if (name === 'UsageData' && isObject(v)) out[name] = { RefCount: v['RefCount'] ?? 0, Size: v['Size'] ?? 0 };
    else if (isMap) out[name] = isObject(v) ? sortedDeep(v) : null;
    else out[name] = v ?? (name === 'Driver' || name === 'Mountpoint' || name === 'Name' || name === 'Scope' ? '' : null);
  }
  return out;
}

/** json.MarshalIndent's text escapes HTML characters, as goJsonString does. */
function goJson(v: unknown): string {
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * What templates see: volume.Volume structs. The template engine takes objects for
 * map[string]interface {}, where Go has typed maps here: a nil map prints "map[]" but is
 * `null` in JSON, and `index` of a missing key in a map[string]string gives "". So the maps
 * are remembered, and the `json` and `index` functions given to the template treat them as Go does.
 */
class VolumeTemplateData {
  private readonly nilMaps = new WeakSet<object>();
  private readonly stringMaps = new WeakSet<object>();
  /** Each view's JSON as Go marshals the struct. */
  private readonly shapes = new WeakMap<object, unknown>();

  view(raw: Record<string, unknown>): object {
    const map = (v: unknown, strings: boolean): object => {
      const m = isObject(v) ? (sortedDeep(v) as Record<string, unknown>) : {};
      if (!isObject(v)) this.nilMaps.add(m);
      if (strings) this.stringMaps.add(m);
      return m;
    };
    const usage = raw['UsageData'];
    const status = raw['Status'];
    const created = raw['CreatedAt'];
    const text = (v: unknown): string => (typeof v === 'string' ? v : '');
    const view = goStruct('volume.Volume', {
      ClusterVolume: isObject(raw['ClusterVolume']) ? sortedDeep(raw['ClusterVolume']) : omitted(null),
      CreatedAt: typeof created === 'string' && created !== '' ? created : omitted(''),
      Driver: text(raw['Driver']),
      Labels: map(raw['Labels'], true),
      Mountpoint: text(raw['Mountpoint']),
      Name: text(raw['Name']),
      Options: map(raw['Options'], true),
      Scope: text(raw['Scope']),
      Status: isObject(status) && Object.keys(status).length > 0 ? sortedDeep(status) : omitted(map(undefined, false)),
      UsageData: isObject(usage)
        ? goStruct('*volume.UsageData', { RefCount: usage['RefCount'] ?? 0, Size: usage['Size'] ?? 0 })
        : omitted(null),
    });
    this.shapes.set(view, volumeShape(raw));
    return view;
  }

  /** `json` and `index` as they behave on the volume.Volume struct. */
  functions(): Record<string, (...args: unknown[]) => unknown> {
    const plainJson = parseTemplate('{{json .}}');
    const index = builtinFunctions.get('index');
    return {
      json: (...args) => {
        if (args.length !== 1) throw new ArgumentTypeError(`wrong number of args for json: want 1 got ${args.length}`);
        const v = args[0];
        if (typeof v === 'object' && v !== null) {
          if (this.nilMaps.has(v)) return 'null';
          if (this.shapes.has(v)) return plainJson.execute(this.shapes.get(v));
        }
        return plainJson.execute(v);
      },
      index: (...args) => {
        if (args.length === 0 || index === undefined) throw new ArgumentTypeError(`wrong number of args for index: want at least 1 got ${args.length}`);
        const [item, key] = args;
        if (args.length === 2 && isObject(item) && this.stringMaps.has(item) && typeof key === 'string') {
          return Object.hasOwn(item, key) ? item[key] : '';
        }
        return index.call(args);
      },
    };
  }
}

/**
 * docker's `volume inspect`: unlike most inspect commands it keeps no raw JSON, so templates
 * run on the volume.Volume struct only (an unknown field is an error, with no retry on the raw
 * JSON), and the JSON it prints is that struct marshalled again. Errors follow the output;
 * exit 1 if any lookup failed, 64 for a template that does not parse.
 */
async function inspectVolumes(fetch: (ref: string) => Promise<string>, refs: readonly string[], format: string): Promise<{ out: string; errors: string[] }> {
  const data = new VolumeTemplateData();
  let tmpl: Template | undefined;
  if (format !== '' && format !== 'json') {
    try {
      tmpl = parseTemplate(format, data.functions());
    } catch (e: unknown) {
      if (e instanceof TemplateError) throw new ExitError(64, `template parsing error: ${e.message}`);
      throw e;
    }
  }
  const objects: string[] = [];
  const errors: string[] = [];
  let text = '';
  for (const ref of refs) {
    let raw: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(await fetch(ref));
      raw = isObject(parsed) ? parsed : {};
    } catch (e: unknown) {
      errors.push(errorText(e));
      continue;
    }
    if (tmpl === undefined) {
      objects.push(goJson(volumeShape(raw)));
      continue;
    }
    try {
      text += `${tmpl.execute(data.view(raw))}\n`;
    } catch (e: unknown) {
      if (!(e instanceof TemplateError)) throw e;
      errors.push(`template parsing error: ${templateErrorText(e, format)}`);
    }
  }
  if (tmpl !== undefined) return { out: text === '' ? '\n' : text, errors };
  if (objects.length === 0) return { out: '[]\n', errors };
  const list = `[${objects.join(',')}]`;
  return { out: `${format === 'json' ? compactJson(list) : indentJson(list, '    ')}\n`, errors };
}

export const command: Command = {
  path: 'volume inspect',
  usage: '[OPTIONS] VOLUME [VOLUME...]',
  description: 'Display detailed information on one or more volumes',
  flags: [{ name: 'format', short: 'f', type: 'string', usage: INSPECT_FORMAT_HELP }],
  interspersed: true,
  args: { kind: 'min', n: 1 },
  async run(ctx, flags, args) {
    // Connecting is part of each lookup: without a daemon, every name reports the error.
    const fetch = async (ref: string): Promise<string> => readAll(await (await ctx.client()).request('GET', volumePath(ref)));
    const { out, errors } = await inspectVolumes(fetch, args, flags.getString('format'));
    ctx.out(out);
    if (errors.length > 0) throw new ExitError(1, errors.join('\n'));
    return 0;
  },
};
