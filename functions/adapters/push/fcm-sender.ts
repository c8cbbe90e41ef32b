/**
 * Firebase Cloud Messaging HTTP v1, one request per device token, authorised with a
 * service-account OAuth token from `google-auth-library` (firebase-admin hard-codes Google's hosts,
 * so the API and token URLs could not be pointed at local servers for tests).
 */
import type { JWT } from 'google-auth-library/build/src/auth/jwtclient.js';
import { FcmEnv } from '../../config';
import type { ChannelMessage, PushDevice } from '../../contract';
import type { DeviceOutcome, DeviceResult } from '../../domain/push-delivery';
import { retryAfterSeconds, transientFaultCode } from '../http/transient-faults';
import type { FcmCredentials } from '../secrets/provider-credentials';

/** Re-exported from functions/config.ts, where infra/ reads it too. */
export { FcmEnv };

/** FCM's API host. */
export const FCM_API_BASE_URL = 'https://fcm.googleapis.com';
/** The endpoint google-auth-library exchanges the service-account assertion at. */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
/** The OAuth scope FCM HTTP v1 requires. */
export const FCM_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';

/** FCM settings (not secrets). */
export interface FcmSettings {
  readonly apiBaseUrl?: string;
  readonly tokenUrl?: string;
  /** The Firebase project; the service account's `project_id` when unset. */
  readonly projectId?: string;
  readonly timeoutMs?: number;
}

/** Reads the FCM settings from the environment. */
export function fcmSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): FcmSettings {
  return {
    apiBaseUrl: env[FcmEnv.API_BASE_URL] || undefined,
    tokenUrl: env[FcmEnv.TOKEN_URL] || undefined,
    projectId: env[FcmEnv.PROJECT_ID] || undefined,
  };
}

/** Sends one message to one device of a kind; never throws for a provider answer. */
export interface PushDeviceSender<Device extends PushDevice> {
  sendToDevice(device: Device, message: ChannelMessage): Promise<DeviceOutcome>;
}

/** An FCM device. */
export type FcmDevice = Extract<PushDevice, { kind: 'fcm' }>;

/** The FCM v1 message for a Switchboard push message and one token. */
export function fcmMessageBody(token: string, message: ChannelMessage): unknown {
  const { title, text, url, imageUrl } = message.content;
  return {
    message: {
      token,
      notification: {
        ...(title ? { title } : {}),
        ...(text ? { body: text } : {}),
        ...(imageUrl ? { image: imageUrl } : {}),
      },
      // Data values must be strings; these let the app open the right screen and report back.
      data: {
        messageId: message.messageId,
        customerId: message.customerId,
        ...(url ? { url } : {}),
      },
      ...(url ? { webpush: { fcm_options: { link: url } } } : {}),
      android: { priority: message.category === 'transactional' ? 'high' : 'normal' },
    },
  };
}

/** An FCM v1 error body. */
interface FcmErrorBody {
  error?: {
    code?: number;
    status?: string;
    message?: string;
    details?: { '@type'?: string; errorCode?: string; fieldViolations?: { field?: string }[] }[];
  };
}

/** What an FCM v1 answer means for the device (FCM's ErrorCode reference). */
export function classifyFcmAnswer(
  status: number,
  body: unknown,
  headers: { get(name: string): string | null } = new Headers(),
): DeviceResult {
  if (status >= 200 && status < 300) {
    const name = (body as { name?: unknown } | null)?.name;
    return { result: 'delivered', providerMessageId: typeof name === 'string' ? name : '' };
  }
  const error = (body as FcmErrorBody | null)?.error ?? {};
  const fcmCode =
    error.details?.find((detail) => detail.errorCode)?.errorCode ?? error.status ?? `http_${status}`;
  // UNREGISTERED (404): the app was uninstalled or the token expired.
  if (status === 404 || fcmCode === 'UNREGISTERED') return { result: 'gone', code: 'UNREGISTERED' };
  // SENDER_ID_MISMATCH (403): the token belongs to another Firebase project; it never will work here.
  if (fcmCode === 'SENDER_ID_MISMATCH') return { result: 'gone', code: fcmCode };
  if (status === 400) {
    // INVALID_ARGUMENT is about the token when FCM says so; otherwise it is about our message.
    const violations = error.details?.flatMap((detail) => detail.fieldViolations ?? []) ?? [];
    const aboutToken =
      /registration token/i.test(error.message ?? '') ||
      violations.some((violation) => violation.field === 'message.token');
    return aboutToken ? { result: 'gone', code: 'INVALID_ARGUMENT' } : { result: 'failed', code: fcmCode };
  }
  // QUOTA_EXCEEDED (429), UNAVAILABLE (503), INTERNAL (500): back off and retry. 401
  // THIRD_PARTY_AUTH_ERROR / UNAUTHENTICATED and 403 PERMISSION_DENIED are credentials: retry too.
  if (status === 429 || status >= 500 || status === 401 || status === 403) {
    return {
      result: 'retry',
      code: fcmCode,
      retryAfterSeconds: retryAfterSeconds(headers.get('retry-after')),
    };
  }
  return { result: 'failed', code: fcmCode };
}

/** What the FCM sender needs. */
export interface FcmDeviceSenderDeps {
  readonly credentials: () => Promise<FcmCredentials>;
  readonly settings: FcmSettings;
  readonly fetch?: typeof fetch;
}

/** Creates the FCM device sender. */
export function createFcmDeviceSender(deps: FcmDeviceSenderDeps): PushDeviceSender<FcmDevice> {
  const { settings } = deps;
  const doFetch = deps.fetch ?? fetch;
  const apiBaseUrl = (settings.apiBaseUrl ?? FCM_API_BASE_URL).replace(/\/$/, '');
  let auth: { key: string; jwt: JWT } | undefined;
  // One JWT client per key, so its cached access token (valid an hour) is reused across messages.
  const jwtFor = async (credentials: FcmCredentials): Promise<JWT> => {
    if (auth?.key === credentials.private_key) return auth.jwt;
    // Imported by the first FCM send, not when the push function starts, so a container that only
    // reaches browsers never evaluates google-auth-library and gaxios (see ./web-push-sender.ts).
    const { JWT } = await import('google-auth-library/build/src/auth/jwtclient.js');
    const jwt = new JWT({
      email: credentials.client_email,
      key: credentials.private_key,
      scopes: [FCM_SCOPE],
      // Node's own fetch: gaxios would otherwise load node-fetch through a dynamic import.
      transporterOptions: { fetchImplementation: doFetch },
    });
    const tokenUrl = settings.tokenUrl;
    if (tokenUrl) {
      // google-auth-library has no token URL option; its transport's interceptor is the supported seam.
      jwt.transporter.interceptors.request.add({
        resolved: async (options) =>
          String(options.url) === GOOGLE_TOKEN_URL ? { ...options, url: new URL(tokenUrl) } : options,
      });
    }
    auth = { key: credentials.private_key, jwt };
    return jwt;
  };
  return {
    async sendToDevice(device, message) {
      const base = { device: device.token, provider: 'fcm' as const };
      try {
        const credentials = await deps.credentials();
        const { token } = await (await jwtFor(credentials)).getAccessToken();
        const response = await doFetch(
          `${apiBaseUrl}/v1/projects/${encodeURIComponent(settings.projectId ?? credentials.project_id)}/messages:send`,
          {
            method: 'POST',
            headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json; charset=utf-8' },
            body: JSON.stringify(fcmMessageBody(device.token, message)),
            signal: AbortSignal.timeout(settings.timeoutMs ?? 10_000),
          },
        );
        const text = await response.text();
        let body: unknown = null;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {
          body = null;
        }
        return { ...base, ...classifyFcmAnswer(response.status, body, response.headers) } as DeviceOutcome;
      } catch (error) {
        // Token endpoint failures and transport faults: the device may well be fine, try later.
        const code = transientFaultCode(error) ?? 'fcm_auth_or_transport';
        return { ...base, result: 'retry', code, reason: (error as Error)?.message };
      }
    },
  };
}
