import type { ChannelMessage } from '../../../../functions/contract';
import {
  type LinkTrackingDependencies,
  proposeLinkTokens,
  withTrackedLinks,
} from '../../../../functions/domain/delivery/track-links';
import type { LinkToSave } from '../../../../functions/domain/links/link-ports';
import {
  emailMessage,
  pushMessage,
  smsMessage,
  TEST_CONTENT_SID,
  whatsappMessage,
} from '../../../helpers/channel-messages';

const NOW = new Date('2026-11-23T14:00:00Z');
const LINK = 'https://shop.example/o/1';

/** Link tracking on, with numbered tokens and a store that records what it saved. */
function tracking(
  saved: LinkToSave[][] = [],
  answer: 'saved' | 'erased' = 'saved',
): LinkTrackingDependencies {
  let next = 0;
  return {
    settings: { baseUrl: 'https://go.example.com', categories: {} },
    store: {
      saveLinks: async (_key, links) => {
        saved.push([...links]);
        return answer;
      },
    },
    newToken: () => `token${String(next++).padStart(17, '0')}`,
  };
}

const keyOf = (message: ChannelMessage) => ({ ...message });

describe('Function: proposeLinkTokens', () => {
  it('proposes one token per link of an SMS', () => {
    expect(
      proposeLinkTokens(smsMessage({ content: { text: `A ${LINK} B ${LINK}` } }), tracking(), NOW),
    ).toHaveLength(2);
  });

  it('proposes a token for a push tap target too', () => {
    // Prepare
    const message = pushMessage([{ kind: 'fcm', token: 'device-token' }], {
      content: { title: 'Hi', text: `See ${LINK}`, url: 'https://shop.example/app' },
    });

    // Act
    const tokens = proposeLinkTokens(message, tracking(), NOW);

    // Assess
    expect(tokens).toHaveLength(2);
  });

  it.each([
    ['an email (SendGrid tracks it)', emailMessage({ content: { text: LINK, subject: 'Hi' } })],
    ['an SMS without links', smsMessage({ content: { text: 'Your code is 123456' } })],
    ['an SMS whose request opted out', smsMessage({ content: { text: LINK }, tracking: { links: false } })],
    [
      'a WhatsApp message going out as its template (window closed)',
      whatsappMessage({
        content: { text: LINK, whatsappTemplate: { contentSid: TEST_CONTENT_SID, variables: {} } },
      }),
    ],
    [
      'an SMS the rewrite would take past 1,600 characters',
      smsMessage({ content: { text: `${'a'.repeat(1570)} ${LINK}` } }),
    ],
  ])('proposes none for %s', (_name, message) => {
    expect(proposeLinkTokens(message, tracking(), NOW)).toEqual([]);
  });

  it('tracks at most 20 links', () => {
    // Prepare
    const text = Array.from({ length: 25 }, (_, n) => `https://s.example/${n}`).join(' ');

    // Act
    const tokens = proposeLinkTokens(smsMessage({ content: { text } }), tracking(), NOW);

    // Assess
    expect(tokens).toHaveLength(20);
  });
});

describe('Function: withTrackedLinks', () => {
  it('saves the links under the leased tokens, then rewrites the text with them', async () => {
    // Prepare
    const saved: LinkToSave[][] = [];
    const message = smsMessage({ content: { text: `Track ${LINK} now` } });

    // Act
    const outgoing = await withTrackedLinks(
      message,
      keyOf(message),
      ['LEASEDTOKEN00000000000'],
      tracking(saved),
    );

    // Assess
    expect(saved).toEqual([[{ token: 'LEASEDTOKEN00000000000', url: LINK }]]);
    expect(outgoing).toMatchObject({
      content: { text: 'Track https://go.example.com/c/LEASEDTOKEN00000000000 now' },
    });
  });

  it('answers erased, sending nothing, when the attempt was erased since the lease', async () => {
    // Prepare
    const message = smsMessage({ content: { text: LINK } });

    // Act
    const outgoing = await withTrackedLinks(message, keyOf(message), ['t'], tracking([], 'erased'));

    // Assess
    expect(outgoing).toBe('erased');
  });
});
