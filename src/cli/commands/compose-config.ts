import { writeFileSync } from 'node:fs';
import { toComposeJson, toComposeYaml } from '../../compose/canonical-output.js';
import { serviceConfigHash } from '../../compose/planner/config-hash.js';
import { ExitError } from '../command.js';
import type { ComposeSubcommand } from './compose.js';

const keysOf = (v: unknown): string[] => (v !== null && typeof v === 'object' ? Object.keys(v).sort() : []);

export const subcommand: ComposeSubcommand = {
  name: 'config',
  usage: '[OPTIONS] [SERVICE...]',
  description: 'Parse, resolve and render compose file in canonical format',
  flags: [
    { name: 'format', type: 'string', usage: 'Format the output. Values: [yaml | json]', default: 'yaml' },
    { name: 'services', type: 'bool', usage: 'Print the service names, one per line.' },
    { name: 'volumes', type: 'bool', usage: 'Print the volume names, one per line.' },
    { name: 'profiles', type: 'bool', usage: 'Print the profile names, one per line.' },
    { name: 'images', type: 'bool', usage: 'Print the image names, one per line.' },
    { name: 'hash', type: 'string', usage: 'Print the service config hash, one per line.' },
    { name: 'environment', type: 'bool', usage: 'Print environment used for interpolation.' },
    { name: 'quiet', short: 'q', type: 'bool', usage: 'Only validate the configuration, don\'t print anything' },
    { name: 'output', short: 'o', type: 'string', usage: 'Save to file (default to stdout)' },
  ],
  async run(ctx, flags, args, load) {
    const project = load();
    const model = project.model;
    const services = model.services;
    for (const a of args) if (!(a in services)) throw new ExitError(1, `no such service: ${a}`);
    let text: string;
    if (flags.getBool('services')) text = keysOf(services).map((s) => `${s}\n`).join('');
    else if (flags.getBool('volumes')) text = keysOf(model['volumes']).map((s) => `${s}\n`).join('');
    else if (flags.getBool('profiles')) text = project.allProfiles.map((s) => `${s}\n`).join('');
    else if (flags.getString('hash') !== '') {
      const wanted = flags.getString('hash') === '*' ? keysOf(services) : flags.getString('hash').split(',');
      for (const s of wanted) if (!(s in services)) throw new ExitError(1, `no such service: ${s}`);
      text = wanted.map((s) => `${s} ${serviceConfigHash(services[s] ?? {})}\n`).join('');
    } else if (flags.getBool('environment')) {
      text = [...project.environment].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}\n`).join('');
    } else if (flags.getBool('images')) {
      text = keysOf(services).map((s) => `${String(services[s]?.['image'] ?? `${project.name}-${s}`)}\n`).join('');
    } else {
      const selected = args.length === 0 ? model : { ...model, services: Object.fromEntries(args.map((a) => [a, services[a]])) };
      const format = flags.getString('format');
      if (format === 'json') text = toComposeJson(selected);
      else if (format === 'yaml') text = toComposeYaml(selected);
      else throw new ExitError(1, `unsupported format "${format}"`);
    }
    if (flags.getBool('quiet')) return 0;
    const output = flags.getString('output');
    if (output !== '') writeFileSync(output, text);
    else ctx.out(text);
    return 0;
  },
};
