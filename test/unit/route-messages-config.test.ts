import { routeMessagesConfigFromEnv, routingDefaultsFromEnv } from '../../functions/config';

describe('Function: routingDefaultsFromEnv', () => {
  it.each([
    [{}, { timeZone: 'UTC', quietHours: { start: '21:00', end: '08:00' } }],
    [
      { SWITCHBOARD_DEFAULT_TIMEZONE: 'America/New_York', SWITCHBOARD_QUIET_HOURS: '22:00-07:30' },
      { timeZone: 'America/New_York', quietHours: { start: '22:00', end: '07:30' } },
    ],
  ])('reads %j', (env, expected) => {
    // Act and assess
    expect(routingDefaultsFromEnv(env)).toEqual(expected);
  });

  it.each([
    [{ SWITCHBOARD_DEFAULT_TIMEZONE: 'Mars/Olympus' }, /SWITCHBOARD_DEFAULT_TIMEZONE/],
    [{ SWITCHBOARD_QUIET_HOURS: '9pm-8am' }, /SWITCHBOARD_QUIET_HOURS/],
  ])('fails fast on %j', (env, message) => {
    // Act and assess
    expect(() => routingDefaultsFromEnv(env)).toThrow(message);
  });
});

describe('Function: routeMessagesConfigFromEnv', () => {
  it('names the missing variable', () => {
    // Act and assess
    expect(() => routeMessagesConfigFromEnv({})).toThrow(/SWITCHBOARD_CUSTOMERS_TABLE/);
  });
});
