import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { ComposeError } from '../compose-error.js';
import { COMPOSE_SPEC_SCHEMA } from './compose-spec-schema.js';

let validator: ValidateFunction | undefined;

function compiled(): ValidateFunction {
  validator ??= new Ajv2020({ allErrors: true, strict: false, validateFormats: false }).compile(COMPOSE_SPEC_SCHEMA);
  return validator;
}

/** `/services/web/ports/0` as compose prints it: `services.web.ports.0`. */
function dotted(pointer: string): string {
  return pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');
}

const article = (t: string): string => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);

function joinOr(items: readonly string[]): string {
  if (items.length <= 2) return items.join(' or ');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] ?? ''}`;
}

/** One message for the most specific failure, in compose v2's words. */
export function describeSchemaErrors(errors: readonly ErrorObject[]): string {
  const depth = (e: ErrorObject): number => (e.instancePath === '' ? 0 : e.instancePath.split('/').length);
  const deepest = Math.max(...errors.map(depth));
  const candidates = errors
    .filter((e) => depth(e) === deepest && e.keyword !== 'oneOf' && e.keyword !== 'anyOf')
    .sort((a, b) => (a.instancePath < b.instancePath ? -1 : a.instancePath > b.instancePath ? 1 : 0));
  const at = candidates[0] ?? errors[0];
  if (at === undefined) return 'invalid compose file';
  // One key at a time: the deepest failing key, the first by name when several fail.
  const here = candidates.filter((e) => e.instancePath === at.instancePath);
  const path = dotted(at.instancePath);
  const subject = path === '' ? '(root)' : path;
  const extra = here.find((e) => e.keyword === 'additionalProperties');
  if (extra !== undefined) {
    return `${subject} additional properties '${String(extra.params['additionalProperty'])}' not allowed`;
  }
  const types = [...new Set(here.filter((e) => e.keyword === 'type').flatMap((e) => [e.params['type']].flat().map(String)))];
  if (types.length > 0) {
    const names = types.map((t) => (t === 'number' || t === 'integer' ? t : t === 'array' ? 'array' : t));
    return `${subject} must be ${article(joinOr(names))}`;
  }
  switch (at.keyword) {
    case 'enum':
      return `${subject} must be one of the following: ${(at.params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'required':
      return `${subject} ${String(at.params['missingProperty'])} is required`;
    case 'pattern':
      return `${subject} does not match pattern ${String(at.params['pattern'])}`;
    case 'uniqueItems':
      return `${subject} must contain unique items`;
    case 'minimum':
    case 'maximum':
      return `${subject} must be ${at.keyword === 'minimum' ? '>=' : '<='} ${String(at.params['limit'])}`;
    default:
      return `${subject} ${at.message ?? 'is invalid'}`;
  }
}

/** Validates one compose file's data against the Compose Specification schema. */
export function validateComposeFile(data: unknown, file: string): void {
  const validate = compiled();
  if (validate(data)) return;
  throw new ComposeError(`validating ${file}: ${describeSchemaErrors(validate.errors ?? [])}`);
}
