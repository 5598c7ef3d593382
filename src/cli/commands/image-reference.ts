/**
 * How the CLI names images in requests. Reference parsing itself is shared with
 * the daemon (src/reference/image-reference.ts, Docker's distribution/reference).
 */
import { parseAnyReference, parseReference, type ImageReference } from '../../reference/image-reference.js';

export type NamedReference = ImageReference;

/** ParseNormalizedNamed: "busybox" → docker.io/library/busybox; throws with Docker's text. */
export const parseNormalizedNamed = parseReference;

/** ParseAnyReference: a 64-hex ID or a digest is accepted as is; anything else must be a valid name. */
export function checkAnyReference(s: string): void {
  parseAnyReference(s);
}

export { familiarName, fullName } from '../../reference/image-reference.js';

/** An image name or ID as a URL path segment: escaped like Go's url path, "/" ":" "@" kept. */
export function imagePath(name: string): string {
  return encodeURIComponent(name).replace(/%(2F|3A|40|24|26|2B|2C|3B|3D)/g, (s) => decodeURIComponent(s));
}

/** stringid.TruncateID: the hex after the algorithm, 12 characters. */
export function truncateId(id: string): string {
  const colon = id.indexOf(':');
  const hex = colon >= 0 ? id.slice(colon + 1) : id;
  return hex.length > 12 ? hex.slice(0, 12) : hex;
}

