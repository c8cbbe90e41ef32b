import { followLink } from '../../../../functions/domain/links/follow-link';
import type { LinkStore, StoredLink } from '../../../../functions/domain/links/link-ports';

const TOKEN = 'AAAAAAAAAAAAAAAAAAAAAA';
const LINK: StoredLink = {
  token: TOKEN,
  url: 'https://shop.example/o/1',
  customerId: 'c-1',
  messageId: 'm-1',
  attempt: 1,
  channel: 'sms',
};

/** A link store holding one link, whose click recording does what `record` says. */
function storeWith(record: LinkStore['recordClick']) {
  return {
    findLink: jest.fn(async (token: string) => (token === TOKEN ? LINK : undefined)),
    recordClick: jest.fn(record),
  };
}

describe('Function: followLink', () => {
  it('records the click, then redirects to the recorded URL', async () => {
    // Prepare
    const links = storeWith(async () => 'recorded');
    const logger = { error: jest.fn() };

    // Act
    const answer = await followLink(TOKEN, { links, logger });

    // Assess
    expect(answer).toEqual({ outcome: 'redirect', url: LINK.url });
    expect(links.recordClick).toHaveBeenCalledWith(LINK, expect.any(Date));
  });

  it('still redirects when the click cannot be recorded, and logs it without the URL', async () => {
    // Prepare
    const links = storeWith(async () => {
      throw new Error('ProvisionedThroughputExceededException');
    });
    const logger = { error: jest.fn() };

    // Act
    const answer = await followLink(TOKEN, { links, logger });

    // Assess
    expect(answer).toEqual({ outcome: 'redirect', url: LINK.url });
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(logger.error.mock.calls)).not.toContain('shop.example');
  });

  it('reads nothing for a malformed token', async () => {
    // Prepare
    const links = storeWith(async () => 'recorded');

    // Act
    const answer = await followLink('../../etc/passwd', { links, logger: { error: jest.fn() } });

    // Assess
    expect(answer).toEqual({ outcome: 'not-found' });
    expect(links.findLink).not.toHaveBeenCalled();
  });

  it('redirects without counting a click when asked not to record (a HEAD request)', async () => {
    // Prepare
    const links = storeWith(async () => 'recorded');

    // Act
    const answer = await followLink(TOKEN, { links, logger: { error: jest.fn() } }, { record: false });

    // Assess
    expect(answer).toEqual({ outcome: 'redirect', url: LINK.url });
    expect(links.recordClick).not.toHaveBeenCalled();
  });
});
