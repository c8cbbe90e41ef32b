import { keepClientContextFromEnv, touchpointsConfigFromEnv } from '../../functions/touchpoints-config';

describe('Function: keepClientContextFromEnv', () => {
  it('keeps nothing unless told', () => {
    // Act and assess
    expect(keepClientContextFromEnv({})).toEqual([]);
    expect(
      touchpointsConfigFromEnv({ SWITCHBOARD_CUSTOMERS_TABLE: 'c', SWITCHBOARD_MESSAGES_TABLE: 'm' }),
    ).not.toHaveProperty('keepClientContext');
  });

  it('reads the listed fields once each', () => {
    // Act and assess
    expect(keepClientContextFromEnv({ SWITCHBOARD_KEEP_CLIENT_CONTEXT: 'ip, userAgent,ip' })).toEqual([
      'ip',
      'userAgent',
    ]);
  });

  it('fails fast on a field it does not know, rather than keep nothing silently', () => {
    // Act and assess
    expect(() => keepClientContextFromEnv({ SWITCHBOARD_KEEP_CLIENT_CONTEXT: 'ip,cookies' })).toThrow(
      /SWITCHBOARD_KEEP_CLIENT_CONTEXT: unknown field "cookies"/,
    );
  });
});
