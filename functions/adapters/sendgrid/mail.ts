/**
 * A small SendGrid Mail Send client: `@sendgrid/mail`'s own request building (the `Mail` class of
 * `@sendgrid/helpers`, which `MailService.send` runs to turn camelCase mail data into the API's
 * JSON) and its error type (`ResponseError`), over ../http/provider-http.ts instead of `@sendgrid/client`.
 *
 * Why not `MailService` itself: it requires `@sendgrid/client`, which requires axios, and axios's
 * Node build reads `globalThis.FormData` while it loads, which makes Node load its bundled undici.
 * Together that was ~40 ms of the email function's ~150 ms initialisation, for one JSON POST
 * (numbers: `npm run bench:cold`). Everything that decides what SendGrid receives is the SDK's code;
 * only the transport is ours, the seam `MailService.setClient()` opens. The deep paths are pinned by
 * the exact `@sendgrid/helpers` version in package.json; the contract tests
 * (test/contract/sendgrid-mail.test.ts) send through this client to SendGrid's OpenAPI description
 * and compare its request with `@sendgrid/mail`'s.
 *
 * One difference on purpose: `MailService` also copies the mail's own headers (List-Unsubscribe)
 * onto the HTTP request; they belong in the JSON body, where both put them, and only there.
 */
import Mail, { type MailDataRequired } from '@sendgrid/helpers/classes/mail';
import ResponseError from '@sendgrid/helpers/classes/response-error';
import { providerRequest } from '../http/provider-http';

/** SendGrid's API host (`@sendgrid/client`'s global region). */
export const SENDGRID_API_BASE_URL = 'https://api.sendgrid.com';

/** How to reach SendGrid's Mail Send API. */
export interface SendGridMailOptions {
  readonly apiKey: string;
  /** Scheme and host of the API; a mock server in tests, SendGrid otherwise. */
  readonly baseUrl?: string;
  /** Per-request timeout; Lambda's own timeout must be larger. */
  readonly timeoutMs?: number;
}

/** SendGrid's answer, shaped as `@sendgrid/client`'s Response (header names in lower case). */
export interface SendGridResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/** The client: `send` is `MailService.send` for one message. */
export interface SendGridMail {
  send(data: MailDataRequired): Promise<SendGridResponse>;
}

const USER_AGENT = 'switchboard sendgrid-helpers';

/**
 * ResponseError's constructor takes axios's response (status, statusText, headers, data); its
 * type declaration leaves the constructor out.
 */
const SendGridResponseError = ResponseError as unknown as new (response: {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  data: unknown;
}) => ResponseError;

/** The body as axios hands it to `@sendgrid/client`: parsed JSON when it is JSON, else the text. */
function parseBody(text: string): unknown {
  if (text === '') return '';
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Creates a Mail Send client for one API key. */
export function createSendGridMail(options: SendGridMailOptions): SendGridMail {
  const { apiKey, timeoutMs = 10_000 } = options;
  const url = new URL('/v3/mail/send', options.baseUrl ?? SENDGRID_API_BASE_URL).toString();
  return {
    async send(data) {
      // What MailService.send does before it hands the request to its client (its defaults included).
      const body = Mail.create({ isMultiple: false, substitutionWrappers: ['{{', '}}'], ...data }).toJSON();
      const response = await providerRequest({
        url,
        method: 'POST',
        headers: {
          Accept: 'application/json',
          'Content-Type': 'application/json',
          'User-Agent': USER_AGENT,
          Authorization: `Bearer ${apiKey}`,
        },
        body: JSON.stringify(body),
        timeoutMs,
      });
      const parsed = parseBody(response.body);
      if (response.status >= 400) {
        // The error @sendgrid/client raises, from the fields it reads off axios's response.
        throw new SendGridResponseError({
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
          data: parsed,
        });
      }
      return { statusCode: response.status, headers: response.headers, body: parsed };
    },
  };
}
