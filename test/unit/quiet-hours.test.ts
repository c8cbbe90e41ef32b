import { endOfQuietHours, instantOfWallTime } from '../../functions/domain/quiet-hours';

describe('Function: endOfQuietHours', () => {
  const night = { start: '21:00', end: '08:00' };

  it.each([
    // [case, instant, zone, expected]
    ['daytime in Paris is not quiet', '2026-11-23T13:00:00Z', 'Europe/Paris', '2026-11-23T13:00:00.000Z'],
    [
      '23:00 in Paris waits until 08:00 the next morning',
      '2026-11-23T22:00:00Z',
      'Europe/Paris',
      '2026-11-24T07:00:00.000Z',
    ],
    [
      '03:00 in Paris waits until 08:00 the same morning',
      '2026-11-24T02:00:00Z',
      'Europe/Paris',
      '2026-11-24T07:00:00.000Z',
    ],
    ['21:00 exactly is quiet', '2026-11-23T20:00:00Z', 'Europe/Paris', '2026-11-24T07:00:00.000Z'],
    ['08:00 exactly is not quiet', '2026-11-24T07:00:00Z', 'Europe/Paris', '2026-11-24T07:00:00.000Z'],
    // Spring forward in Paris: 2026-03-29 02:00 → 03:00; 08:00 CEST is 06:00Z.
    [
      'the night clocks go forward in Paris ends at 08:00 CEST',
      '2026-03-28T22:30:00Z',
      'Europe/Paris',
      '2026-03-29T06:00:00.000Z',
    ],
    // Fall back in Paris: 2026-10-25 03:00 → 02:00; 08:00 CET is 07:00Z.
    [
      'the night clocks go back in Paris ends at 08:00 CET',
      '2026-10-24T21:30:00Z',
      'Europe/Paris',
      '2026-10-25T07:00:00.000Z',
    ],
    // New York spring forward 2026-03-08; 08:00 EDT is 12:00Z.
    [
      'the night clocks go forward in New York ends at 08:00 EDT',
      '2026-03-08T03:00:00Z',
      'America/New_York',
      '2026-03-08T12:00:00.000Z',
    ],
    // New York fall back 2026-11-01; 08:00 EST is 13:00Z.
    [
      'the night clocks go back in New York ends at 08:00 EST',
      '2026-11-01T04:00:00Z',
      'America/New_York',
      '2026-11-01T13:00:00.000Z',
    ],
    [
      'a zone ahead of UTC across the date line',
      '2026-11-23T10:00:00Z',
      'Pacific/Auckland',
      '2026-11-23T19:00:00.000Z',
    ],
  ])('%s', (_case, instant, zone, expected) => {
    // Act
    const end = endOfQuietHours(new Date(instant), night, zone);

    // Assess
    expect(end.toISOString()).toBe(expected);
  });

  it('handles a window that does not wrap midnight', () => {
    // Prepare
    const lunch = { start: '12:00', end: '14:00' };

    // Act
    const end = endOfQuietHours(new Date('2026-06-01T12:30:00Z'), lunch, 'UTC');

    // Assess
    expect(end.toISOString()).toBe('2026-06-01T14:00:00.000Z');
  });

  it('treats a window that starts and ends at the same time as no quiet hours', () => {
    // Act
    const end = endOfQuietHours(new Date('2026-06-01T23:30:00Z'), { start: '00:00', end: '00:00' }, 'UTC');

    // Assess
    expect(end.toISOString()).toBe('2026-06-01T23:30:00.000Z');
  });
});

describe('Function: instantOfWallTime', () => {
  it('resolves a wall time skipped by spring forward to just after the gap', () => {
    // Act: 02:30 does not exist in Paris on 2026-03-29.
    const instant = instantOfWallTime({ year: 2026, month: 3, day: 29 }, 2, 30, 'Europe/Paris');

    // Assess: 03:30 CEST.
    expect(instant.toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('resolves a wall time that happens twice at fall back to the first time', () => {
    // Act: 02:30 happens twice in Paris on 2026-10-25.
    const instant = instantOfWallTime({ year: 2026, month: 10, day: 25 }, 2, 30, 'Europe/Paris');

    // Assess: 02:30 CEST.
    expect(instant.toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });
});
