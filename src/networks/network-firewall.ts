import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const FORWARD_CHAIN = 'BERTH-FORWARD';
const STAGE1 = 'BERTH-ISOLATION-STAGE-1';
const STAGE2 = 'BERTH-ISOLATION-STAGE-2';

async function iptables(args: readonly string[]): Promise<boolean> {
  try {
    await run('iptables', ['-w', ...args]);
    return true;
  } catch {
    return false;
  }
}

async function ensureRule(table: string, chain: string, rule: readonly string[], insert = false): Promise<void> {
  if (await iptables(['-t', table, '-C', chain, ...rule])) return;
  await iptables(['-t', table, insert ? '-I' : '-A', chain, ...(insert ? ['1'] : []), ...rule]);
}

async function firstForwardRule(): Promise<string | undefined> {
  try {
    const { stdout } = await run('iptables', ['-w', '-S', 'FORWARD']);
    return stdout.split('\n').find((l) => l.startsWith('-A '));
  } catch {
    return undefined;
  }
}

export interface BridgeRules {
  readonly bridge: string;
  readonly subnet: string;
  readonly internal: boolean;
}

function rulesOf(n: BridgeRules): Array<{ table: string; chain: string; rule: string[] }> {
  const out: Array<{ table: string; chain: string; rule: string[] }> = [
    // Isolation: traffic entering from this bridge may not leave through another berth bridge.
    { table: 'filter', chain: STAGE1, rule: ['-i', n.bridge, '!', '-o', n.bridge, '-j', STAGE2] },
    { table: 'filter', chain: STAGE2, rule: ['-o', n.bridge, '-j', 'DROP'] },
    // Forwarding: within the bridge always; replies back in; out to the world unless internal.
    { table: 'filter', chain: FORWARD_CHAIN, rule: ['-i', n.bridge, '-o', n.bridge, '-j', 'ACCEPT'] },
    { table: 'filter', chain: FORWARD_CHAIN, rule: ['-o', n.bridge, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'] },
  ];
  if (n.internal) {
    out.push({ table: 'filter', chain: FORWARD_CHAIN, rule: ['-i', n.bridge, '!', '-o', n.bridge, '-j', 'DROP'] });
  } else {
    out.push({ table: 'filter', chain: FORWARD_CHAIN, rule: ['-i', n.bridge, '!', '-o', n.bridge, '-j', 'ACCEPT'] });
    // Published ports reach containers through DNAT: let new connections in.
    out.push({ table: 'filter', chain: FORWARD_CHAIN, rule: ['-o', n.bridge, '-m', 'conntrack', '--ctstate', 'DNAT', '-j', 'ACCEPT'] });
    out.push({ table: 'nat', chain: 'POSTROUTING', rule: ['-s', n.subnet, '!', '-o', n.bridge, '-j', 'MASQUERADE'] });
  }
  return out;
}

/**
 * The iptables rules of a bridge network, set once per network as Docker does
 * (not per container): masquerading out, forwarding, and isolation from the
 * other berth bridges. Idempotent.
 */
export async function setUpBridgeRules(n: BridgeRules): Promise<void> {
  for (const chain of [STAGE1, STAGE2, FORWARD_CHAIN]) await iptables(['-N', chain]);
  await ensureRule('filter', 'FORWARD', ['-j', FORWARD_CHAIN], true);
  // Isolation must be looked at before anything accepts: keep its jump first.
  const first = await firstForwardRule();
  if (first !== `-A FORWARD -j ${STAGE1}`) {
    await iptables(['-D', 'FORWARD', '-j', STAGE1]);
    await iptables(['-I', 'FORWARD', '1', '-j', STAGE1]);
  }
  for (const r of rulesOf(n)) await ensureRule(r.table, r.chain, r.rule);
}

export async function tearDownBridgeRules(n: BridgeRules): Promise<void> {
  for (const r of rulesOf(n)) await iptables(['-t', r.table, '-D', r.chain, ...r.rule]);
}
