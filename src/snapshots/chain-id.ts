import { sha256Digest, type Digest } from '../content/digest.js';

/** The OCI chain ID of a layer stack: chain(L1) = diffID(L1), chain(Ln) = sha256(chain(Ln-1) + " " + diffID(Ln)). */
export function chainId(parent: Digest | undefined, diffId: Digest): Digest {
  return parent === undefined ? diffId : sha256Digest(`${parent} ${diffId}`);
}

export function chainIds(diffIds: readonly Digest[]): Digest[] {
  const out: Digest[] = [];
  let parent: Digest | undefined;
  for (const d of diffIds) {
    parent = chainId(parent, d);
    out.push(parent);
  }
  return out;
}
