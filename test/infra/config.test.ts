import {
  configFromContext,
  DEFAULT_WEBHOOK_RESERVED_CONCURRENCY,
  InvalidConfigurationError,
  parseConfig,
} from '../../infra/config';

describe('Function: parseConfig', () => {
  it('resolves a protected dev stage with the definitions concurrency and reserved webhook concurrency', () => {
    // Act
    const config = parseConfig({});

    // Assess
    expect(config).toMatchObject({
      stage: 'dev',
      protectData: true,
      removalPolicy: 'retain',
      deletionProtection: true,
      retentionDays: 400,
      logRetentionDays: 30,
      maxConcurrency: { outbound: 20, sms: 10, whatsapp: 5, email: 10, push: 10 },
      webhooks: { reservedConcurrency: DEFAULT_WEBHOOK_RESERVED_CONCURRENCY },
    });
  });

  it.each(['dev', 'prod', 'staging'])('protects stage %s unless protectData is false', (stage) => {
    // Act
    const protectedStage = parseConfig({ stage });
    const unprotected = parseConfig({ stage, protectData: false });

    // Assess
    expect(protectedStage).toMatchObject({
      protectData: true,
      removalPolicy: 'retain',
      deletionProtection: true,
    });
    expect(unprotected).toMatchObject({
      protectData: false,
      removalPolicy: 'destroy',
      deletionProtection: false,
    });
  });

  it('lets an unprotected stage keep its tables explicitly', () => {
    // Act
    const config = parseConfig({
      stage: 'staging',
      protectData: false,
      removalPolicy: 'retain',
      deletionProtection: true,
    });

    // Assess
    expect(config).toMatchObject({ protectData: false, removalPolicy: 'retain', deletionProtection: true });
  });

  it('accepts production, the older name of protectData', () => {
    // Act
    const config = parseConfig({ stage: 'prod', production: false });

    // Assess
    expect(config).toMatchObject({ protectData: false, removalPolicy: 'destroy' });
    expect(config).not.toHaveProperty('production');
  });

  it('rejects production and protectData that disagree', () => {
    // Act
    const act = () => parseConfig({ production: true, protectData: false });

    // Assess
    expect(act).toThrow(InvalidConfigurationError);
    expect(act).toThrow('switchboard.production');
  });

  it('lets the webhooks reserve nothing when the account cannot spare concurrency', () => {
    // Act
    const config = parseConfig({ webhooks: { reservedConcurrency: false } });

    // Assess
    expect(config.webhooks.reservedConcurrency).toBe(false);
  });

  it.each([
    [{ stage: 'Prod!' }, 'switchboard.stage: must be 1-16 lowercase letters'],
    [{ logRetentionDays: 10 }, 'switchboard.logRetentionDays: must be one of 1, 3, 5, 7, 14'],
    [{ concurrency: { sms: 1 } }, 'switchboard.concurrency.sms: must be at least 2'],
    [{ concurrency: { fax: 5 } }, 'switchboard.concurrency: Unrecognized key: "fax"'],
    [{ twilio: { smsFrom: '0612345678' } }, 'switchboard.twilio.smsFrom: must be an E.164 phone number'],
    [
      { twilio: { messagingServiceSid: 'MG123' } },
      'switchboard.twilio.messagingServiceSid: must be a Twilio',
    ],
    [{ email: { from: 'not-an-email' } }, 'switchboard.email.from: must be an email address'],
    [
      { push: { vapidSubject: 'http://example.com' } },
      'switchboard.push.vapidSubject: must be a mailto: or https: URL',
    ],
    [
      { alarmTopicArn: 'arn:aws:sqs:us-east-1:123456789012:q' },
      'switchboard.alarmTopicArn: must be an SNS topic ARN',
    ],
    [{ retentionDays: 0 }, 'switchboard.retentionDays'],
    [{ webhooks: { reservedConcurrency: 0 } }, 'switchboard.webhooks.reservedConcurrency'],
    [{ webhooks: { reservedConcurrency: true } }, 'switchboard.webhooks.reservedConcurrency'],
    [{ unknownSetting: true }, 'unknownSetting'],
  ])('rejects %j with a message naming the setting', (input, message) => {
    // Act
    const act = () => parseConfig(input);

    // Assess
    expect(act).toThrow(InvalidConfigurationError);
    expect(act).toThrow(message);
  });

  it('lists every problem at once', () => {
    // Act
    const act = () => parseConfig({ stage: 'X', retentionDays: -1 });

    // Assess
    expect(act).toThrow(/stage[\s\S]*retentionDays/);
  });
});

describe('Function: configFromContext', () => {
  it('lets flat -c keys override the switchboard object, parsing strings', () => {
    // Prepare
    const context: Record<string, unknown> = {
      switchboard: JSON.stringify({ stage: 'dev', retentionDays: 30 }),
      stage: 'prod',
      retentionDays: '90',
      deletionProtection: 'false',
      sourceMaps: 'true',
    };

    // Act
    const config = configFromContext((key) => context[key]);

    // Assess
    expect(config).toMatchObject({
      stage: 'prod',
      retentionDays: 90,
      deletionProtection: false,
      sourceMaps: true,
      protectData: true,
    });
  });

  it.each([
    [{ stage: 'prod' }, true],
    [{ stage: 'prod', protect: 'false' }, false],
    [{ stage: 'dev', protect: 'true' }, true],
    [{ stage: 'dev', protect: 'false' }, false],
    [{ stage: 'dev', protectData: 'false' }, false],
    [{ switchboard: { stage: 'qa', protectData: false }, protect: 'true' }, true],
  ])('reads -c protect from %j as protectData %s, whatever the stage', (context, expected) => {
    // Act
    const config = configFromContext((key) => (context as Record<string, unknown>)[key]);

    // Assess
    expect(config.protectData).toBe(expected);
    expect(config.removalPolicy).toBe(expected ? 'retain' : 'destroy');
  });

  it.each([
    [{ switchboard: '{not json' }, 'Context "switchboard" must be a JSON object'],
    [{ switchboard: [1] }, 'Context "switchboard" must be a JSON object'],
    [{ production: 'yes' }, 'Context "production" must be true or false'],
    [{ protect: 'no' }, 'Context "protect" must be true or false'],
    [{ sourceMaps: 'on' }, 'Context "sourceMaps" must be true or false'],
  ])('rejects context %j', (context, message) => {
    // Act
    const act = () => configFromContext((key) => (context as Record<string, unknown>)[key]);

    // Assess
    expect(act).toThrow(message);
  });
});
