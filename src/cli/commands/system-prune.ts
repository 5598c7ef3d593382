import { humanSize } from '../../units/human-units.js';
import { ExitError, type Command } from '../command.js';
import { filterFlag } from './image-filter-flag.js';
import { pruneBuildCache, pruneContainers, pruneImages, pruneNetworks, pruneVolumes, type PruneRun } from './prune-runs.js';
import { confirm } from './system-confirm.js';

/** docker's confirmation text: what goes, and the filters that narrow it (in natural order). */
export function pruneWarning(all: boolean, volumes: boolean, filters: readonly string[]): string {
  const warnings = ['all stopped containers', 'all networks not used by at least one container'];
  if (volumes) warnings.push('all anonymous volumes not used by at least one container');
  warnings.push(all ? 'all images without at least one container associated to them' : 'all dangling images');
  warnings.push(all ? 'all build cache' : 'unused build cache');
  const shown = filters.filter((f) => /^(label|label!|until)=/.test(f)).sort(naturalLess);
  const filterText = shown.length === 0 ? '' : `\n  Items to be pruned will be filtered with:${shown.map((f) => `\n  - ${f}`).join('')}\n`;
  return `WARNING! This will remove:${warnings.map((w) => `\n  - ${w}`).join('')}\n${filterText}\nAre you sure you want to continue?`;
}

/** sortorder.NaturalLess as a comparator: bytes compare as bytes, digit runs as numbers, digits before other characters. */
export function naturalLess(a: string, b: string): number {
  const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const c1 = a[i];
    const c2 = b[j];
    if (isDigit(c1) !== isDigit(c2)) return isDigit(c1) ? -1 : 1;
    if (!isDigit(c1)) {
      if (c1 !== c2) return (c1 ?? '') < (c2 ?? '') ? -1 : 1;
      i++;
      j++;
      continue;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    const s1 = i;
    const s2 = j;
    while (isDigit(a[i])) i++;
    while (isDigit(b[j])) j++;
    if (i - s1 !== j - s2) return i - s1 < j - s2 ? -1 : 1;
    const n1 = a.slice(s1, i);
    const n2 = b.slice(s2, j);
    if (n1 !== n2) return n1 < n2 ? -1 : 1;
    if (s1 !== s2) return s1 < s2 ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

export const command: Command = {
  path: 'system prune',
  usage: '[OPTIONS]',
  description: 'Remove unused data',
  flags: [
    { name: 'all', short: 'a', type: 'bool', usage: 'Remove all unused images not just dangling ones' },
    filterFlag(undefined, 'Provide filter values (e.g. "label=<key>=<value>")'),
    { name: 'force', short: 'f', type: 'bool', usage: 'Do not prompt for confirmation' },
    { name: 'volumes', type: 'bool', usage: 'Prune anonymous volumes' },
  ],
  interspersed: true,
  args: { kind: 'none' },
  async run(ctx, flags) {
    const all = flags.getBool('all');
    const volumes = flags.getBool('volumes');
    const filters = flags.getStrings('filter').filter((f) => f !== '');
    if (volumes && filters.some((f) => f.startsWith('until='))) {
      throw new ExitError(1, 'ERROR: The "until" filter is not supported with "--volumes"');
    }
    // A declined prompt cancels quietly, with status 0.
    if (!flags.getBool('force') && !(await confirm(ctx, pruneWarning(all, volumes, filters)))) return 0;
    const client = await ctx.client();
    const runs: Array<() => Promise<PruneRun>> = [
      () => pruneContainers(client, filters),
      () => pruneNetworks(client, filters),
      ...(volumes ? [() => pruneVolumes(client, filters)] : []),
      () => pruneImages(client, all, filters),
      () => pruneBuildCache(client, all, filters),
    ];
    let total = 0;
    for (const run of runs) {
      const r = await run();
      total += r.spaceReclaimed;
      if (r.output !== '') ctx.out(`${r.output}\n`);
    }
    ctx.out(`Total reclaimed space: ${humanSize(total)}\n`);
    return 0;
  },
};
