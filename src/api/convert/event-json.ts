import type { EngineEvent } from '../../events/event-bus.js';

/**
 * One event as Docker's `/events` stream writes it (events.Message, one JSON
 * object per line): the legacy status/id/from fields for containers and images,
 * then Type, Action, Actor (attributes in key order, as Go writes maps), scope,
 * time and timeNano (written as integers, past JavaScript's safe range).
 */
export function eventJson(ev: EngineEvent): string {
  const parts: string[] = [];
  const legacy = ev.type === 'container' || ev.type === 'image';
  if (legacy) {
    parts.push(`"status":${str(ev.action)}`, `"id":${str(ev.actor.id)}`);
    const from = ev.type === 'container' ? ev.actor.attributes['image'] : undefined;
    if (from !== undefined && from !== '') parts.push(`"from":${str(from)}`);
  }
  const attrs = Object.keys(ev.actor.attributes).sort()
    .map((k) => `${str(k)}:${str(ev.actor.attributes[k] ?? '')}`).join(',');
  parts.push(
    `"Type":${str(ev.type)}`, `"Action":${str(ev.action)}`,
    `"Actor":{"ID":${str(ev.actor.id)},"Attributes":{${attrs}}}`,
    '"scope":"local"', `"time":${ev.timeNano / 1_000_000_000n}`, `"timeNano":${ev.timeNano}`,
  );
  return `{${parts.join(',')}}`;
}

/** A JSON string as Go's encoder writes it (HTML characters escaped). */
function str(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
