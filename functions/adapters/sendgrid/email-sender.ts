/**
 * Email through SendGrid's v3 Mail Send API with `@sendgrid/mail`'s request building
 * (./mail.ts, which says why not MailService's transport): from/reply-to from
 * configuration, subject, plain-text and HTML parts, `custom_args` that let delivery events be tied
 * back to the message, category tagging, and List-Unsubscribe (RFC 2369) with one-click
 * (RFC 8058) for every category but transactional.
 */
import { ConfigurationError, SendGridEnv } from '../../config';
import type { ChannelMessage } from '../../contract';
import { ChannelUnusableError, RetryLaterError } from '../../domain/errors';
import type { ChannelSender, SendReceipt } from '../../domain/ports';
import { retryAfterSeconds, transientFaultCode } from '../http/transient-faults';
import type { SendGridCredentials } from '../secrets/provider-credentials';
import { createSendGridMail, type SendGridMail } from './mail';

/**
 * The category that gets no List-Unsubscribe (`Category.TRANSACTIONAL`; a literal here so that the
 * adapter does not load the contract's schemas).
 */
const TRANSACTIONAL = 'transactional';

/** Re-exported from functions/config.ts, where infra/ reads it too. */
export { SendGridEnv };

/** SendGrid settings (not secrets). */
export interface SendGridSettings {
  readonly fromEmail: string;
  readonly fromName?: string;
  readonly replyTo?: string;
  readonly unsubscribeUrl?: string;
  readonly unsubscribeMailto?: string;
  readonly apiBaseUrl?: string;
  /** Per-request timeout. */
  readonly timeoutMs?: number;
}

/** What the email sender needs. */
export interface SendGridEmailSenderDeps {
  readonly credentials: () => Promise<SendGridCredentials>;
  readonly settings: SendGridSettings;
}

/** Reads the SendGrid settings from the environment. */
export function sendGridSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): SendGridSettings {
  const fromEmail = env[SendGridEnv.FROM_EMAIL];
  if (!fromEmail) throw new ConfigurationError(`Environment variable ${SendGridEnv.FROM_EMAIL} is required`);
  return {
    fromEmail,
    fromName: env[SendGridEnv.FROM_NAME] || undefined,
    replyTo: env[SendGridEnv.REPLY_TO] || undefined,
    unsubscribeUrl: env[SendGridEnv.UNSUBSCRIBE_URL] || undefined,
    unsubscribeMailto: env[SendGridEnv.UNSUBSCRIBE_MAILTO] || undefined,
    apiBaseUrl: env[SendGridEnv.API_BASE_URL] || undefined,
  };
}

/** The List-Unsubscribe headers for a message, or undefined for transactional mail. */
export function listUnsubscribeHeaders(
  settings: Pick<SendGridSettings, 'unsubscribeUrl' | 'unsubscribeMailto'>,
  message: Pick<ChannelMessage, 'category' | 'customerId' | 'messageId'>,
): Record<string, string> | undefined {
  if (message.category === TRANSACTIONAL) return undefined;
  const targets: string[] = [];
  if (settings.unsubscribeUrl) {
    const url = settings.unsubscribeUrl
      .replaceAll('{customerId}', encodeURIComponent(message.customerId))
      .replaceAll('{category}', encodeURIComponent(message.category))
      .replaceAll('{messageId}', encodeURIComponent(message.messageId));
    targets.push(`<${url}>`);
  }
  if (settings.unsubscribeMailto) {
    const subject = encodeURIComponent(`unsubscribe ${message.category} ${message.customerId}`);
    targets.push(`<mailto:${settings.unsubscribeMailto}?subject=${subject}>`);
  }
  if (targets.length === 0) return undefined;
  return {
    'List-Unsubscribe': targets.join(', '),
    // One-click needs an HTTPS URL to POST to (RFC 8058); a mailto alone does not qualify.
    ...(settings.unsubscribeUrl ? { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {}),
  };
}

/** What a SendGrid error carries (`@sendgrid/helpers` ResponseError). */
interface SendGridResponseError {
  /** HTTP status. */
  readonly code?: number;
  readonly response?: {
    readonly headers?: Record<string, string | undefined>;
    readonly body?: { errors?: { message?: string; field?: string | null }[] };
  };
}

/** Words in SendGrid's 400 errors that mean the recipient address is the problem. */
const ADDRESS_FIELD = /personalizations\.\d+\.(to|cc|bcc)|^to$|email/i;
const ADDRESS_MESSAGE = /valid (email )?address|email address|invalid email/i;

/** Translates an error from SendGrid's Mail Send API into RetryLaterError or ChannelUnusableError. */
export function classifySendGridError(
  error: unknown,
  now = Date.now(),
): RetryLaterError | ChannelUnusableError {
  const fault = transientFaultCode(error);
  if (fault)
    return new RetryLaterError(`SendGrid request failed in transit (${fault})`, {
      code: fault,
      cause: error,
    });
  const { code: status, response } = (
    typeof error === 'object' && error !== null ? error : {}
  ) as SendGridResponseError;
  if (typeof status !== 'number') {
    return new RetryLaterError('SendGrid request failed', { code: 'unknown', cause: error });
  }
  const errors = response?.body?.errors ?? [];
  // SendGrid's messages name fields, not addresses, so they are safe to keep.
  const said = errors.map((item) => `${item.field ?? 'request'}: ${item.message ?? ''}`).join('; ');
  const detail = said ? `: ${said}` : '';
  if (status === 429) {
    const headers = response?.headers ?? {};
    const reset = Number(headers['x-ratelimit-reset']);
    return new RetryLaterError(`SendGrid rate limit reached${detail}`, {
      code: 'http_429',
      retryAfterSeconds:
        retryAfterSeconds(headers['retry-after'], now) ??
        (Number.isFinite(reset) && reset > 0 ? Math.max(0, Math.ceil(reset - now / 1000)) : undefined),
      cause: error,
    });
  }
  // 401: the API key; 403: permissions or SendGrid's temporary block after many bad requests. The
  // operator's problem, not the person's: retry until fixed (the retry limit then falls back).
  if (status >= 500 || status === 401 || status === 403) {
    return new RetryLaterError(`SendGrid answered HTTP ${status}${detail}`, {
      code: `http_${status}`,
      cause: error,
    });
  }
  if (
    status === 400 &&
    errors.some((item) => ADDRESS_FIELD.test(item.field ?? '') || ADDRESS_MESSAGE.test(item.message ?? ''))
  ) {
    return new ChannelUnusableError(`SendGrid rejected the recipient address${detail}`, {
      code: 'invalid_address',
      cause: error,
    });
  }
  return new ChannelUnusableError(`SendGrid refused the message, HTTP ${status}${detail}`, {
    code: status === 413 ? 'payload_too_large' : `http_${status}`,
    cause: error,
  });
}

/** Creates the SendGrid email sender. */
export function createSendGridEmailSender(deps: SendGridEmailSenderDeps): ChannelSender {
  const { settings } = deps;
  let service: { apiKey: string; mail: SendGridMail } | undefined;
  // One client per API key, so a rotated key takes effect without a cold start.
  const mailFor = (apiKey: string): SendGridMail => {
    if (service?.apiKey === apiKey) return service.mail;
    const mail = createSendGridMail({
      apiKey,
      baseUrl: settings.apiBaseUrl,
      timeoutMs: settings.timeoutMs ?? 10_000,
    });
    service = { apiKey, mail };
    return mail;
  };
  return {
    channel: 'email',
    provider: 'sendgrid',
    async send(message: ChannelMessage): Promise<SendReceipt> {
      if (message.channel !== 'email')
        throw new TypeError(`The email sender got a ${message.channel} message`);
      const { subject, text, html } = message.content;
      if (!subject || (!text && !html)) {
        throw new ChannelUnusableError('The message has no subject or no text/HTML body for email', {
          code: 'missing_content',
        });
      }
      const headers = listUnsubscribeHeaders(settings, message);
      if (message.category !== TRANSACTIONAL && !headers) {
        // Mailbox providers require List-Unsubscribe from bulk senders: better another channel than spam.
        throw new ChannelUnusableError(
          `A ${message.category} email needs List-Unsubscribe: set ${SendGridEnv.UNSUBSCRIBE_URL} or ${SendGridEnv.UNSUBSCRIBE_MAILTO}`,
          { code: 'unsubscribe_not_configured' },
        );
      }
      const { apiKey } = await deps.credentials();
      const content = [
        ...(text ? [{ type: 'text/plain', value: text }] : []),
        ...(html ? [{ type: 'text/html', value: html }] : []),
      ] as [{ type: string; value: string }, ...{ type: string; value: string }[]];
      try {
        const response = await mailFor(apiKey).send({
          // custom_args on the personalization: it is the level SendGrid's contract types as an object,
          // and it is echoed on every event of this recipient.
          personalizations: [
            {
              to: message.to,
              customArgs: {
                messageId: message.messageId,
                customerId: message.customerId,
                requestId: message.requestId,
                attempt: String(message.attempt),
              },
            },
          ],
          from: { email: settings.fromEmail, ...(settings.fromName ? { name: settings.fromName } : {}) },
          ...(settings.replyTo ? { replyTo: settings.replyTo } : {}),
          subject,
          content,
          categories: [message.category],
          ...(headers ? { headers } : {}),
        });
        const providerMessageId = response.headers['x-message-id'];
        return {
          provider: 'sendgrid',
          // SendGrid always sends X-Message-Id; without it events still correlate by custom_args.
          providerMessageId: providerMessageId || message.messageId,
          details: {
            statusCode: response.statusCode,
            providerIdFromHeader: providerMessageId !== undefined,
          },
        };
      } catch (error) {
        throw classifySendGridError(error);
      }
    },
  };
}
