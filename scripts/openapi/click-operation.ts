/**
 * The short links' operation, `GET /c/{token}` (functions/handlers/click-redirect.ts): public (the
 * link is the credential), answering only tokens Switchboard recorded (docs/links.md).
 */
import { z } from 'zod';
import type { ZodOpenApiOperationObject } from 'zod-openapi';
import { ApiErrorBodySchema } from '../../functions/contract';
import { CLICK_ROUTE } from '../../functions/handlers/click-redirect';

/** The path of the short links. */
export const CLICK_PATH = CLICK_ROUTE;

/** Following a short link. */
export const CLICK_OPERATION: ZodOpenApiOperationObject = {
  operationId: 'followShortLink',
  summary: 'Short link: records the click, then redirects to the recorded URL',
  description:
    'The links of SMS, WhatsApp and push messages, rewritten by Switchboard. The click moves the attempt to `clicked` and puts a `click` entry on the timeline; a HEAD request answers the same without counting a click. Nothing but the token is read: no parameter chooses the target.',
  tags: ['Links'],
  security: [],
  requestParams: {
    path: z.object({
      token: z
        .string()
        .regex(/^[A-Za-z0-9_-]{22}$/)
        .meta({ description: '128 random bits, base64url.' }),
    }),
  },
  responses: {
    '302': {
      description: 'To the URL recorded for the token when the message was sent.',
      headers: z.object({ location: z.string().meta({ description: 'The original URL.' }) }),
    },
    '404': {
      description: 'No such link (malformed, unknown, expired or erased): no redirect.',
      content: { 'application/json': { schema: ApiErrorBodySchema } },
    },
  },
};
