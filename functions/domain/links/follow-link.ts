/**
 * Following a short link (`GET /c/{token}`): find the link the token names, record the click, and
 * answer with the URL Switchboard recorded for it — never any other (no open redirect: nothing in
 * the request but the token is read, and an unknown or malformed token finds nothing).
 *
 * Recording comes first, and a failure to record does not stop the redirect: the person clicked to
 * get somewhere, and a click lost to a DynamoDB fault is logged. It is not lost for good: the click
 * item is keyed by the first click's time, so the next click of the link writes it again.
 */
import type { LinkStore } from './link-ports';
import { isLinkToken } from './link-token';

/** What a short link answers. */
export type LinkAnswer =
  | { readonly outcome: 'redirect'; readonly url: string }
  | { readonly outcome: 'not-found' };

/** Logging as following a link needs it; never pass PII (a URL may carry some) in `extra`. */
export interface FollowLinkLogger {
  error(message: string, extra?: Record<string, unknown>): void;
}

/** What following a link needs. */
export interface FollowLinkDependencies {
  readonly links: Pick<LinkStore, 'findLink' | 'recordClick'>;
  readonly logger: FollowLinkLogger;
  readonly now?: () => Date;
}

/** Follows a short link; `record: false` (a HEAD request, a link preview) answers without counting a click. */
export async function followLink(
  token: string,
  deps: FollowLinkDependencies,
  options: { readonly record: boolean } = { record: true },
): Promise<LinkAnswer> {
  if (!isLinkToken(token)) return { outcome: 'not-found' };
  const link = await deps.links.findLink(token);
  if (!link) return { outcome: 'not-found' };
  if (options.record) {
    try {
      await deps.links.recordClick(link, (deps.now ?? (() => new Date()))());
    } catch (error) {
      deps.logger.error('A click could not be recorded; redirected anyway', {
        messageId: link.messageId,
        attempt: link.attempt,
        channel: link.channel,
        error: error instanceof Error ? error.name : 'unknown',
      });
    }
  }
  return { outcome: 'redirect', url: link.url };
}
