/**
 * Quiet hours: a daily window, in the customer's own time zone, during which non-transactional
 * messages wait. Computed from wall-clock time in that zone through Intl, so that daylight saving
 * changes move the window with the clock rather than shifting it by an hour.
 */
import type { QuietHours } from '../contract';

/** Quiet hours used when a customer has none: 21:00–08:00, as US TCPA rules require. */
export const DEFAULT_QUIET_HOURS: QuietHours = { start: '21:00', end: '08:00' };

interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let cached = formatters.get(timeZone);
  if (!cached) {
    cached = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, cached);
  }
  return cached;
}

/** The wall-clock time in a zone at an instant. */
export function wallClock(instant: Date, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** Milliseconds the zone is ahead of UTC at an instant. */
function offsetMs(instant: Date, timeZone: string): number {
  const wall = wallClock(instant, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The first instant at which the zone's clock shows the given wall time. A wall time skipped by a
 * spring-forward change resolves to the instant just after the gap (e.g. 02:30 → 03:30 local).
 */
export function instantOfWallTime(
  date: { year: number; month: number; day: number },
  hour: number,
  minute: number,
  timeZone: string,
): Date {
  const naive = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  // Two passes settle the offset, including across a DST change between the guess and the answer.
  let guess = naive - offsetMs(new Date(naive), timeZone);
  guess = naive - offsetMs(new Date(guess), timeZone);
  // In a fall-back overlap the earlier of the two instants is the first time the clock shows it.
  const earlier = guess - 60 * 60 * 1000;
  const wallEarlier = wallClock(new Date(earlier), timeZone);
  if (wallEarlier.hour === hour && wallEarlier.minute === minute && wallEarlier.day === date.day) {
    return new Date(earlier);
  }
  return new Date(guess);
}

function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

/**
 * When a message may go out: `at` itself if the customer's clock is outside quiet hours then,
 * otherwise the end of the quiet window that `at` falls in.
 */
export function endOfQuietHours(at: Date, quietHours: QuietHours, timeZone: string): Date {
  const start = minutesOf(quietHours.start);
  const end = minutesOf(quietHours.end);
  if (start === end) return at;
  const wall = wallClock(at, timeZone);
  const now = wall.hour * 60 + wall.minute;
  const wraps = start > end;
  const quiet = wraps ? now >= start || now < end : now >= start && now < end;
  if (!quiet) return at;
  // The window ends today if it has not wrapped past midnight yet, else tomorrow.
  const endsTomorrow = wraps && now >= start;
  const day = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + (endsTomorrow ? 1 : 0)));
  const [endHour, endMinute] = quietHours.end.split(':').map(Number);
  return instantOfWallTime(
    { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() },
    endHour ?? 0,
    endMinute ?? 0,
    timeZone,
  );
}
