/**
 * Image references ("busybox", "user/app:1", "localhost:5000/app@sha256:…"), parsed and
 * normalized the way Docker does it (distribution/reference: ParseNormalizedNamed,
 * FamiliarName, FamiliarString, TagNameOnly), with Docker's error texts.
 *
 * Grammar (all of it must match, or the reference is rejected):
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [ domain "/" ] path-component { "/" path-component }
 *   domain    := host [ ":" port ]      host: DNS-like labels, or an IPv6 address in brackets
 *   path-component := [a-z0-9]+ { separator [a-z0-9]+ }   separator: "." | "_" | "__" | "-"+
 *   tag       := [\w][\w.-]{0,127}
 *   digest    := algorithm ":" hex      (sha256 needs 64 lowercase hex digits)
 */
import { EngineError } from '../engine-error.js';

/** A parsed, normalized reference: `domain/path[:tag][@digest]`. */
export interface ImageReference {
  readonly domain: string;
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
}

export class InvalidReferenceError extends EngineError {
  constructor(message: string) {
    super('invalid-argument', message);
    this.name = 'InvalidReferenceError';
  }
}

const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';
const DEFAULT_TAG = 'latest';
const NAME_TOTAL_LENGTH_MAX = 255;

// Building blocks of the grammar above, as regular expression sources.
const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|-+)';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const REMOTE_NAME = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const DOMAIN_LABEL = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_NAME = `${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})*`;
const IPV6_ADDRESS = '\\[[a-fA-F0-9:]+\\]';
const DOMAIN_AND_PORT = `(?:${DOMAIN_NAME}|${IPV6_ADDRESS})(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';

const REFERENCE_RE = new RegExp(
  `^((?:${DOMAIN_AND_PORT}/)?${REMOTE_NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`,
);
const NAME_RE = new RegExp(`^(?:(${DOMAIN_AND_PORT})/)?(${REMOTE_NAME})$`);
const TAG_RE = new RegExp(`^${TAG}$`);
const IDENTIFIER_RE = /^[a-f0-9]{64}$/;

/** Hex length of each digest algorithm Docker accepts. */
const DIGEST_HEX_LENGTH: ReadonlyMap<string, number> = new Map([
  ['sha256', 64],
  ['sha384', 96],
  ['sha512', 128],
]);
/** go-digest's general digest shape, used to tell "unsupported" from "malformed". */
const ANY_DIGEST_RE = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/**
 * Parses a reference as typed by a user ("busybox", "user/app:1") into its normalized form
 * (domain "docker.io", path "library/busybox"). No default tag is added; see withDefaultTag().
 * Throws InvalidReferenceError with Docker's message.
 */
export function parseReference(s: string): ImageReference {
  if (IDENTIFIER_RE.test(s)) {
    throw new InvalidReferenceError(
      `invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`,
    );
  }
  const [domain, remainder] = splitDockerDomain(s);
  const tagSep = remainder.indexOf(':');
  const remote = tagSep === -1 ? remainder : remainder.slice(0, tagSep);
  if (remote.toLowerCase() !== remote) {
    throw new InvalidReferenceError(
      `invalid reference format: repository name (${remote}) must be lowercase`,
    );
  }
  return parseCanonical(`${domain}/${remainder}`);
}

/** What a user-supplied image argument names: an image ID ("sha256:<hex>") or a reference. */
export type AnyReference =
  | { readonly kind: 'id'; readonly id: string }
  | { readonly kind: 'named'; readonly ref: ImageReference };

/**
 * Like parseReference(), but a 64-hex string or a complete digest ("sha256:<hex>") is an image
 * ID and never a name (ParseAnyReference). Short hex strings still parse as names.
 */
export function parseAnyReference(s: string): AnyReference {
  if (IDENTIFIER_RE.test(s)) return { kind: 'id', id: `sha256:${s}` };
  if (isValidDigest(s)) return { kind: 'id', id: s };
  return { kind: 'named', ref: parseReference(s) };
}

/** Adds the tag "latest" when the reference has neither a tag nor a digest (TagNameOnly). */
export function withDefaultTag(ref: ImageReference): ImageReference {
  if (ref.tag !== undefined || ref.digest !== undefined) return ref;
  return { ...ref, tag: DEFAULT_TAG };
}

/** Returns the reference with `tag` set, checking the tag's syntax ("invalid tag format"). */
export function withTag(ref: ImageReference, tag: string): ImageReference {
  if (!TAG_RE.test(tag)) throw new InvalidReferenceError('invalid tag format');
  return { ...ref, tag };
}

/** "busybox" → "docker.io/library/busybox:latest"; a digest-only reference gets no tag. */
export function normalizeReference(s: string): string {
  return referenceString(withDefaultTag(parseReference(s)));
}

/** The fully qualified name without tag or digest: "docker.io/library/busybox". */
export function fullName(ref: ImageReference): string {
  return ref.domain === '' ? ref.path : `${ref.domain}/${ref.path}`;
}

/** The fully qualified reference: "docker.io/library/busybox:1@sha256:…". */
export function referenceString(ref: ImageReference): string {
  return withSuffixes(fullName(ref), ref);
}

/** The name as Docker shows it: "busybox", "user/app", "localhost:5000/app". */
export function familiarName(ref: ImageReference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return fullName(ref);
  if (ref.path.startsWith(OFFICIAL_REPO_PREFIX)) {
    const rest = ref.path.slice(OFFICIAL_REPO_PREFIX.length);
    if (!rest.includes('/')) return rest;
  }
  return ref.path;
}

/** The reference as Docker shows it: "busybox:latest", "busybox:1@sha256:…". */
export function familiarString(ref: ImageReference): string {
  return withSuffixes(familiarName(ref), ref);
}

/** True for a full image ID: 64 lowercase hex digits, optionally prefixed with "sha256:". */
export function isFullImageId(s: string): boolean {
  return /^(?:sha256:)?[a-f0-9]{64}$/.test(s);
}

/**
 * True if `s` could be a (possibly truncated) image ID. Short hex strings are also valid names,
 * so callers look the name up first and fall back to ID prefixes, as Docker does.
 */
export function looksLikeIdPrefix(s: string): boolean {
  return /^(?:sha256:)?[a-f0-9]{1,64}$/.test(s);
}

function withSuffixes(name: string, ref: ImageReference): string {
  const tag = ref.tag === undefined ? '' : `:${ref.tag}`;
  const digest = ref.digest === undefined ? '' : `@${ref.digest}`;
  return name + tag + digest;
}

/** Splits off the registry domain, defaulting to Docker Hub and its "library/" namespace. */
function splitDockerDomain(name: string): [domain: string, remainder: string] {
  const slash = name.indexOf('/');
  if (slash === -1) return [DEFAULT_DOMAIN, OFFICIAL_REPO_PREFIX + name];
  const first = name.slice(0, slash);
  let domain = DEFAULT_DOMAIN;
  let remainder = name;
  if (first === LEGACY_DEFAULT_DOMAIN) {
    remainder = name.slice(slash + 1);
  } else if (first === 'localhost' || /[.:]/.test(first) || first.toLowerCase() !== first) {
    // Looks like a host name, an address or a port; uppercase is never a valid namespace.
    domain = first;
    remainder = name.slice(slash + 1);
  }
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) {
    remainder = OFFICIAL_REPO_PREFIX + remainder;
  }
  return [domain, remainder];
}

/** Parses a reference that is already in canonical form (distribution/reference Parse). */
function parseCanonical(s: string): ImageReference {
  const m = REFERENCE_RE.exec(s);
  if (m === null) {
    if (s === '') throw new InvalidReferenceError('repository name must have at least one component');
    if (REFERENCE_RE.test(s.toLowerCase())) {
      throw new InvalidReferenceError('repository name must be lowercase');
    }
    throw new InvalidReferenceError('invalid reference format');
  }
  const name = m[1] ?? '';
  if (name.length > NAME_TOTAL_LENGTH_MAX) {
    throw new InvalidReferenceError(
      `repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`,
    );
  }
  const nameMatch = NAME_RE.exec(name);
  const domain = nameMatch?.[1] ?? '';
  const path = nameMatch?.[2] ?? name;
  const tag = m[2];
  const digest = m[3];
  if (digest !== undefined) validateDigest(digest);
  return {
    domain,
    path,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

/** go-digest's Digest.Validate() for the algorithms Docker links in; returns the error text. */
function digestError(d: string): string | undefined {
  const colon = d.indexOf(':');
  if (colon <= 0 || colon === d.length - 1) return 'invalid checksum digest format';
  const algorithm = d.slice(0, colon);
  const encoded = d.slice(colon + 1);
  const hexLength = DIGEST_HEX_LENGTH.get(algorithm);
  if (hexLength === undefined) {
    return ANY_DIGEST_RE.test(d) ? 'unsupported digest algorithm' : 'invalid checksum digest format';
  }
  if (encoded.length !== hexLength) return 'invalid checksum digest length';
  if (!/^[a-f0-9]+$/.test(encoded)) return 'invalid checksum digest format';
  return undefined;
}

function isValidDigest(d: string): boolean {
  return digestError(d) === undefined;
}

function validateDigest(d: string): void {
  const message = digestError(d);
  if (message !== undefined) throw new InvalidReferenceError(message);
}
