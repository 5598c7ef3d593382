import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
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

async function ensureRule(chain: string, rule: readonly string[], insert = false): Promise<void> {
  if (await iptables(['-C', chain, ...rule])) return;
  await iptables(insert ? ['-I', chain, '1', ...rule] : ['-A', chain, ...rule]);
}

/**
 * Keeps bridge networks apart, as Docker's isolation chains do: traffic that
 * enters from one berth bridge and would leave through another is dropped;
 * traffic to the outside is not touched.
 */
export async function isolateBridge(bridge: string): Promise<void> {
  await iptables(['-N', STAGE1]);
  await iptables(['-N', STAGE2]);
  await ensureRule('FORWARD', ['-j', STAGE1], true);
  await ensureRule(STAGE1, ['-i', bridge, '!', '-o', bridge, '-j', STAGE2]);
  await ensureRule(STAGE2, ['-o', bridge, '-j', 'DROP']);
}

export async function unisolateBridge(bridge: string): Promise<void> {
  await iptables(['-D', STAGE1, '-i', bridge, '!', '-o', bridge, '-j', STAGE2]);
  await iptables(['-D', STAGE2, '-o', bridge, '-j', 'DROP']);
}
