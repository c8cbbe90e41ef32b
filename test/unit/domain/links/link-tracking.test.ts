import type { ChannelMessage } from '../../../../functions/contract';
import { isLinkToken, newLinkToken } from '../../../../functions/domain/links/link-token';
import { fitsAfterRewrite, tracksLinks } from '../../../../functions/domain/links/link-tracking';

const on = { baseUrl: 'https://go.example.com', categories: { transactional: false, marketing: true } };
const message = (
  channel: ChannelMessage['channel'],
  category = 'marketing',
  tracking?: ChannelMessage['tracking'],
): Pick<ChannelMessage, 'channel' | 'category' | 'tracking'> => ({
  channel,
  category,
  ...(tracking ? { tracking } : {}),
});

describe('Function: tracksLinks', () => {
  it.each(['sms', 'whatsapp', 'push'] as const)('tracks the links of %s', (channel) => {
    expect(tracksLinks(message(channel), on)).toBe(true);
  });

  it('leaves email to SendGrid’s click tracking', () => {
    expect(tracksLinks(message('email'), on)).toBe(false);
  });

  it('tracks a category the configuration does not name', () => {
    expect(tracksLinks(message('sms', 'offers'), on)).toBe(true);
  });

  it.each([
    ['the request opts out', message('sms', 'marketing', { links: false }), on],
    ['the category is configured off', message('sms', 'transactional'), on],
    ['the request opts in but the category is off', message('sms', 'transactional', { links: true }), on],
    ['no base URL is configured', message('sms'), { categories: {} }],
  ])('tracks nothing when %s', (_name, candidate, settings) => {
    expect(tracksLinks(candidate, settings)).toBe(false);
  });
});

describe('Function: fitsAfterRewrite', () => {
  it('refuses a rewritten text past the 1,600 characters Twilio takes', () => {
    expect(fitsAfterRewrite('a'.repeat(1600))).toBe(true);
    expect(fitsAfterRewrite('a'.repeat(1601))).toBe(false);
  });
});

describe('Function: newLinkToken', () => {
  it('makes 128-bit base64url tokens that differ every time', () => {
    // Act
    const tokens = Array.from({ length: 1000 }, () => newLinkToken());

    // Assess
    expect(new Set(tokens).size).toBe(1000);
    for (const token of tokens) {
      expect(isLinkToken(token)).toBe(true);
      expect(Buffer.from(token, 'base64url')).toHaveLength(16);
    }
  });

  it.each(['', 'short', `${'A'.repeat(22)}=`, `${'A'.repeat(21)}/`, `${'A'.repeat(23)}`])(
    'does not take %p for a token',
    (value) => {
      expect(isLinkToken(value)).toBe(false);
    },
  );
});
