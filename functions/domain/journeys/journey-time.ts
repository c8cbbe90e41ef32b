/**
 * When a journey's waits end: an ISO-8601 duration after a moment (luxon does the calendar
 * arithmetic), or the next time the customer's own clock shows a time of day (the quiet-hours
 * module's wall-clock rules, so daylight saving is handled in one place).
 */
import { DateTime, Duration } from 'luxon';
import { instantOfWallTime, wallClock } from '../quiet-hours';

/** `from` plus an ISO-8601 duration, in UTC (`P1D` is one calendar day). */
export function addIsoDuration(from: Date, duration: string): Date {
  const parsed = Duration.fromISO(duration);
  if (!parsed.isValid) throw new RangeError(`not an ISO-8601 duration: ${duration}`);
  return DateTime.fromJSDate(from, { zone: 'utc' }).plus(parsed).toJSDate();
}

/** The first instant after `from` at which the clock in `timeZone` shows `HH:MM`. */
export function nextLocalTime(from: Date, time: string, timeZone: string): Date {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const today = wallClock(from, timeZone);
  for (let days = 0; days <= 2; days += 1) {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day + days));
    const candidate = instantOfWallTime(
      { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() },
      hour,
      minute,
      timeZone,
    );
    if (candidate.getTime() > from.getTime()) return candidate;
  }
  throw new RangeError(`no ${time} in ${timeZone} within two days of ${from.toISOString()}`);
}
