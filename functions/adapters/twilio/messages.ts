/**
 * A small Twilio Messages client: the `twilio` package's own generated Messages resource and its
 * error handling (`Version`, `RestException`), over ../http/provider-http.ts instead of the SDK's full
 * client.
 *
 * Why not `twilio(accountSid, authToken)`: the full client bundles every Twilio product (about
 * 3.7 MB minified, ~225 ms to initialise on this machine); the `BaseTwilio.Client` alone still pulls
 * axios, qs, jsonwebtoken and mime-db (~430 KB, ~110 ms). The generated resource used here is the
 * same code the full client runs for `client.messages.create(...)` — parameter names, serialisation,
 * response parsing and RestException with Twilio's `code` — and costs ~40 KB / ~6 ms
 * (numbers: `npx tsx bench/bundles.ts`). Only the transport is ours, which is the seam the SDK
 * itself opens with its `httpClient` option. The deep paths are pinned by the exact `twilio` version
 * in package.json; the contract tests (test/contract/twilio-messages.test.ts) send through this
 * client to Twilio's OpenAPI description and compare it with the full SDK's request.
 *
 * Not supported here: Twilio edge/region host rewriting (set `baseUrl` instead) and API-key auth
 * (an API key SID/secret pair works as username/password, as with the SDK).
 */
import Domain from 'twilio/lib/base/Domain';
import Version from 'twilio/lib/base/Version';
import type { MessageListInstance as Messages } from 'twilio/lib/rest/api/v2010/account/message';
import { MessageListInstance } from 'twilio/lib/rest/api/v2010/account/message';
import { TwilioEnv } from '../../config';
import { providerRequest } from '../http/provider-http';
import type { TwilioCredentials } from '../secrets/provider-credentials';

/** Twilio's REST API host. */
export const TWILIO_API_BASE_URL = 'https://api.twilio.com';

/** How to reach Twilio's Messages API. */
export interface TwilioMessagesOptions {
  readonly accountSid: string;
  /** The account's auth token, or an API key secret when `username` is the API key SID. */
  readonly authToken: string;
  /** Basic-auth user name when it is not the account SID (API keys). */
  readonly username?: string;
  /** Scheme and host of the API; a mock server in tests, Twilio otherwise. */
  readonly baseUrl?: string;
  /** Per-request timeout; Lambda's own timeout must be larger. */
  readonly timeoutMs?: number;
}

/** The request the generated resource hands to its client (the subset used by `create`). */
interface TwilioRequest {
  readonly method: string;
  readonly uri: string;
  readonly data?: Record<string, unknown>;
  readonly headers?: Record<string, string>;
}

/** The response shape the generated resource expects back (`twilio/lib/http/response`). */
interface TwilioResponse {
  readonly statusCode: number;
  readonly body: string;
  readonly headers: Record<string, string>;
}

const USER_AGENT = 'switchboard twilio-node-resource';

/** Serialises form data the way the SDK's RequestClient does (repeated keys for lists). */
export function twilioFormBody(data: Record<string, unknown> = {}): URLSearchParams {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) form.append(key, String(item));
  }
  return form;
}

/** The transport the generated resource calls as its `twilio` client. */
class ProviderTransport {
  constructor(private readonly options: TwilioMessagesOptions) {}

  async request(opts: TwilioRequest): Promise<TwilioResponse> {
    const { accountSid, authToken, username, timeoutMs = 10_000 } = this.options;
    const auth = Buffer.from(`${username ?? accountSid}:${authToken}`).toString('base64');
    const method = opts.method.toUpperCase();
    const response = await providerRequest({
      url: opts.uri,
      method,
      headers: {
        ...opts.headers,
        Authorization: `Basic ${auth}`,
        'User-Agent': USER_AGENT,
        'Accept-Charset': 'utf-8',
        Accept: 'application/json',
        ...(method === 'POST' ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: method === 'POST' ? twilioFormBody(opts.data).toString() : undefined,
      timeoutMs,
    });
    return { statusCode: response.status, body: response.body, headers: response.headers };
  }
}

/** The Messages resource of one account (`client.messages` in the full SDK). */
export function createTwilioMessages(options: TwilioMessagesOptions): Messages {
  const transport = new ProviderTransport(options);
  // The generated code only calls `request` on its client, so the transport stands in for it.
  const domain = new Domain(
    transport as unknown as ConstructorParameters<typeof Domain>[0],
    options.baseUrl ?? TWILIO_API_BASE_URL,
  );
  const version = new Version(domain, '2010-04-01');
  return MessageListInstance(version as Parameters<typeof MessageListInstance>[0], options.accountSid);
}

/** A message as Twilio describes it after create (the fields Switchboard reads). */
export type TwilioMessage = Awaited<ReturnType<Messages['create']>>;

/** Re-exported from functions/config.ts, where infra/ reads it too. */
export { TwilioEnv };

/**
 * The status callback URL for one attempt: the attempt item's key (customer, message, attempt) in
 * the query, so the webhook reads the attempt by key instead of looking the SID up in an index.
 * Twilio signs the full URL, query included, so the ids are as authentic as the callback.
 */
export function statusCallbackFor(
  base: string | undefined,
  key: { readonly customerId: string; readonly messageId: string; readonly attempt: number },
): string | undefined {
  if (!base) return undefined;
  const url = new URL(base);
  url.searchParams.set('customerId', key.customerId);
  url.searchParams.set('messageId', key.messageId);
  url.searchParams.set('attempt', String(key.attempt));
  return url.toString();
}

/** A Twilio channel sender's settings (not secrets): the sender or Messaging Service, the callback, a mock's URL. */
export interface TwilioSenderSettings {
  /** The sender (number, alphanumeric id or WhatsApp sender); required unless `messagingServiceSid` is set. */
  readonly from?: string;
  readonly messagingServiceSid?: string;
  /** Base URL of the status webhook. */
  readonly statusCallbackUrl?: string;
  /** API scheme and host, for a mock. */
  readonly apiBaseUrl?: string;
}

/** What a Twilio channel sender needs. */
export interface TwilioSenderDeps {
  readonly credentials: () => Promise<TwilioCredentials>;
  readonly settings: TwilioSenderSettings;
  readonly now?: () => Date;
}

/** A Twilio channel sender's settings from the environment; `fromVariable` names its sender. */
export function twilioSenderSettingsFromEnv(
  fromVariable: string,
  env: NodeJS.ProcessEnv = process.env,
): TwilioSenderSettings {
  return {
    from: env[fromVariable] || undefined,
    messagingServiceSid: env[TwilioEnv.MESSAGING_SERVICE_SID] || undefined,
    statusCallbackUrl: env[TwilioEnv.STATUS_CALLBACK_URL] || undefined,
    apiBaseUrl: env[TwilioEnv.API_BASE_URL] || undefined,
  };
}
