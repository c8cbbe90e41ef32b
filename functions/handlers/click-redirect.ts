/**
 * Short links, `GET /c/{token}`, on a Lambda function URL (auth NONE: whoever holds the link may
 * follow it): records the click on the attempt and the timeline, then answers 302 to the URL
 * Switchboard recorded for the token (domain/links/follow-link.ts); 404 for anything else.
 * A HEAD request (a link preview, a scanner) is answered the same way but counts no click.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type FollowLinkDependencies, followLink } from '../domain/links/follow-link';
import { linkStoreFromEnv } from '../wiring/click-ports';
import { answer } from './shared/api-answer';
import { type ApiResult, error } from './shared/api-http';
import { lazyHandler } from './shared/lazy-handler';

/** The path of a short link; the token is all that is read from a request. */
export const CLICK_ROUTE = '/c/{token}';

const CLICK_PATH = /^\/c\/([^/]+)$/;

/** What the redirect is built from; tests and the local runtime pass their own store. */
export type ClickRedirectPorts = Omit<FollowLinkDependencies, 'logger'> & { readonly logger?: Logger };

/** Builds the short-link handler from its ports. */
export function createClickRedirectHandler(ports: ClickRedirectPorts) {
  const logger = ports.logger ?? new Logger({ serviceName: 'click-redirect' });
  const deps = { ...ports, logger: { error: (message: string, extra = {}) => logger.error(message, extra) } };
  return (event: APIGatewayProxyEventV2): Promise<ApiResult> =>
    answer(logger, event, async () => {
      const method = event.requestContext.http.method.toUpperCase();
      const token = CLICK_PATH.exec(event.rawPath)?.[1];
      if (!token) return error(404, 'not_found', 'No such link');
      if (method !== 'GET' && method !== 'HEAD') {
        return error(405, 'method_not_allowed', 'Only GET is allowed', { allow: 'GET, HEAD' });
      }
      const followed = await followLink(token, deps, { record: method === 'GET' });
      if (followed.outcome === 'not-found') return error(404, 'not_found', 'No such link');
      return {
        statusCode: 302,
        // Never cached: every click must reach the function to be counted.
        headers: { location: followed.url, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
        body: '',
      };
    });
}

/** The Lambda entry: wired once per container from the environment, on first use. */
export const handler = lazyHandler(() => createClickRedirectHandler({ links: linkStoreFromEnv() }));
