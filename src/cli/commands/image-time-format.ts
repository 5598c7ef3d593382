/**
 * Go's time formatting in the local time zone, as the docker CLI prints image and history
 * dates: time.Time.String() ("2024-01-02 15:04:05 +0000 UTC") and RFC 3339
 * ("2024-01-02T15:04:05Z", "2024-01-02T16:04:05+01:00").
 */

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Local wall-clock parts of a date. */
function localParts(d: Date): { date: string; time: string; offsetMinutes: number } {
  return {
    date: `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`,
    time: `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`,
    offsetMinutes: -d.getTimezoneOffset(),
  };
}

function numericOffset(minutes: number, colon: boolean): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.trunc(abs / 60))}${colon ? ':' : ''}${pad(abs % 60)}`;
}

/**
 * The zone abbreviation Go prints ("UTC", "CET"); Go takes it from tzdata, Node's Intl names
 * are close enough for the common zones. Zones without a name get Go's numeric form ("+0530").
 */
function zoneAbbreviation(d: Date, offsetMinutes: number): string {
  const tz = process.env['TZ'];
  if (offsetMinutes === 0 && (tz === undefined || tz === '' || /^(?:UTC|Etc\/UTC|UTC0|:?\/etc\/localtime)$/.test(tz))) return 'UTC';
  for (const locale of ['en-US', 'en-GB']) {
    const name = new Intl.DateTimeFormat(locale, { timeZoneName: 'short' })
      .formatToParts(d)
      .find((p) => p.type === 'timeZoneName')?.value;
    if (name !== undefined && !/^(?:GMT|UTC)[+-]/.test(name)) return name;
  }
  const numeric = numericOffset(offsetMinutes, false);
  return offsetMinutes % 60 === 0 ? numeric.slice(0, 3) : numeric;
}

/** Go's time.Time.String() in the local zone: "2006-01-02 15:04:05.999999999 -0700 MST". */
export function goTimeString(d: Date): string {
  const { date, time, offsetMinutes } = localParts(d);
  const ms = d.getMilliseconds();
  const fraction = ms === 0 ? '' : `.${pad(ms, 3).replace(/0+$/, '')}`;
  return `${date} ${time}${fraction} ${numericOffset(offsetMinutes, false)} ${zoneAbbreviation(d, offsetMinutes)}`;
}

/** Go's time.RFC3339 in the local zone: "2006-01-02T15:04:05Z07:00". */
export function rfc3339Local(d: Date): string {
  const { date, time, offsetMinutes } = localParts(d);
  return `${date}T${time}${offsetMinutes === 0 ? 'Z' : numericOffset(offsetMinutes, true)}`;
}

/** A date from Unix seconds, as Go's time.Unix(sec, 0). */
export function fromUnix(seconds: number): Date {
  return new Date(seconds * 1000);
}
