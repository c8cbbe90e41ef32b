import { configFromContext, InvalidConfigurationError, parseConfig } from '../../infra/config';

describe('Function: parseConfig', () => {
  it('resolves a dev stage that can be destroyed, with the definitions concurrency', () => {
    // Act
    const config = parseConfig({});

    // Assess
    expect(config).toMatchObject({
      stage: 'dev',
      production: false,
      removalPolicy: 'destroy',
      deletionProtection: false,
      retentionDays: 400,
      logRetentionDays: 30,
      maxConcurrency: { outbound: 20, sms: 10, whatsapp: 5, email: 10, push: 10 },
    });
  });

  it('protects stage prod by default', () => {
    // Act
    const config = parseConfig({ stage: 'prod' });

    // Assess
    expect(config).toMatchObject({ production: true, removalPolicy: 'retain', deletionProtection: true });
  });

  it('lets a dev stage opt into retention explicitly', () => {
    // Act
    const config = parseConfig({ stage: 'staging', removalPolicy: 'retain', deletionProtection: true });

    // Assess
    expect(config).toMatchObject({ production: false, removalPolicy: 'retain', deletionProtection: true });
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
      production: true,
    });
  });

  it.each([
    [{ switchboard: '{not json' }, 'Context "switchboard" must be a JSON object'],
    [{ switchboard: [1] }, 'Context "switchboard" must be a JSON object'],
    [{ production: 'yes' }, 'Context "production" must be true or false'],
    [{ sourceMaps: 'on' }, 'Context "sourceMaps" must be true or false'],
  ])('rejects context %j', (context, message) => {
    // Act
    const act = () => configFromContext((key) => (context as Record<string, unknown>)[key]);

    // Assess
    expect(act).toThrow(message);
  });
});
