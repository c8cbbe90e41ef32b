import { channelsWithRealCredentials } from '../../../local/real-providers';

const TWILIO = { TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 't' };

describe('Function: channelsWithRealCredentials', () => {
  it.each([
    [{}, []],
    [{ ...TWILIO }, []],
    [{ ...TWILIO, SWITCHBOARD_TWILIO_SMS_FROM: '+14155550100' }, ['sms']],
    [{ ...TWILIO, SWITCHBOARD_TWILIO_WHATSAPP_FROM: '+14155550100' }, ['whatsapp']],
    [{ ...TWILIO, SWITCHBOARD_TWILIO_MESSAGING_SERVICE_SID: 'MG1' }, ['sms', 'whatsapp']],
    [{ TWILIO_ACCOUNT_SID: 'AC1', SWITCHBOARD_TWILIO_SMS_FROM: '+14155550100' }, []],
    [{ SENDGRID_API_KEY: 'SG.x' }, ['email']],
    [{ FCM_SERVICE_ACCOUNT_JSON: '{}' }, ['push']],
    [{ VAPID_PUBLIC_KEY: 'p' }, []],
    [{ VAPID_PUBLIC_KEY: 'p', VAPID_PRIVATE_KEY: 'k' }, ['push']],
    [{ SENDGRID_API_KEY: '  ' }, []],
  ])('selects the real provider for %j: %j', (env, channels) => {
    // Act
    const selected = channelsWithRealCredentials(env);

    // Assess
    expect([...selected].sort()).toEqual([...channels].sort());
  });
});
