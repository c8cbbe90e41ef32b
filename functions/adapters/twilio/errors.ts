/**
 * Twilio error classification, shared by the SMS and WhatsApp senders: which API errors mean "try
 * again later" and which mean "this channel will not reach this person". Codes from Twilio's error
 * dictionary (twilio.com/docs/api/errors).
 */
import { ChannelUnusableError, RetryLaterError } from '../../domain/errors';
import { transientFaultCode } from '../http/transient-faults';

/** What a Twilio API error says, as the SDK's RestException carries it. */
export interface TwilioApiError {
  /** HTTP status. */
  readonly status?: number;
  /** Twilio's error code, such as 21211. */
  readonly code?: number;
  readonly message?: string;
}

/** Twilio codes that mean the channel cannot reach this person with this message. */
export const TWILIO_UNUSABLE_CODES: Readonly<Record<number, string>> = {
  21211: "the 'To' number is not a valid phone number",
  21408: "sending to the 'To' number's region is not enabled on the account (geo permissions)",
  21608: "the 'To' number is not verified on a trial account",
  21610: 'the recipient replied STOP to this sender (unsubscribed)',
  21612: "the 'To' number cannot be reached from this sender",
  21614: "the 'To' number is not a mobile number (landline or invalid)",
  21617: 'the message body is too long',
  21656: 'the ContentVariables are not valid for the content template',
  63003: "the 'To' address could not be found on the channel (not a WhatsApp user)",
  63016: 'outside the WhatsApp 24-hour window: an approved template is required',
  63024: 'the recipient is not a valid message recipient for this channel',
};

/** Twilio codes that are throttling or Twilio-side faults whatever the HTTP status says. */
export const TWILIO_RETRY_CODES: Readonly<Record<number, string>> = {
  20429: 'too many requests',
  20500: 'Twilio internal error',
  20503: 'Twilio service unavailable',
  63018: 'channel rate limit exceeded',
};

/** The opt-out code: Twilio keeps the recipient unsubscribed until they reply START. */
const OPTED_OUT_CODE = 21610;

/** Masks anything that looks like a phone number, so provider messages can be logged. */
export function redactPhoneNumbers(text: string): string {
  return text.replace(/\+?\d[\d\s().-]{5,}\d/g, '[redacted]');
}

/** Translates an error from the Twilio Messages API into RetryLaterError or ChannelUnusableError. */
export function classifyTwilioError(error: unknown): RetryLaterError | ChannelUnusableError {
  const fault = transientFaultCode(error);
  if (fault)
    return new RetryLaterError(`Twilio request failed in transit (${fault})`, { code: fault, cause: error });
  const { status, code, message } = (
    typeof error === 'object' && error !== null ? error : {}
  ) as TwilioApiError;
  const said = message ? `: ${redactPhoneNumbers(message)}` : '';
  if (typeof code === 'number' && code in TWILIO_UNUSABLE_CODES) {
    return new ChannelUnusableError(`Twilio ${code}, ${TWILIO_UNUSABLE_CODES[code]}${said}`, {
      code: String(code),
      optedOut: code === OPTED_OUT_CODE,
      cause: error,
    });
  }
  if (typeof code === 'number' && code in TWILIO_RETRY_CODES) {
    return new RetryLaterError(`Twilio ${code}, ${TWILIO_RETRY_CODES[code]}${said}`, {
      code: String(code),
      cause: error,
    });
  }
  if (typeof status !== 'number') {
    // Not an API answer at all (a bug or an unknown transport failure): retry, SQS keeps the record.
    return new RetryLaterError(`Twilio request failed${said}`, { code: 'unknown', cause: error });
  }
  const codeText = code === undefined ? `http_${status}` : String(code);
  // 401/403 are the operator's credentials or account, not the person: retry until they are fixed
  // (the retry limit then falls back); throttling and Twilio-side faults are retried too.
  if (status === 429 || status >= 500 || status === 401 || status === 403) {
    return new RetryLaterError(`Twilio answered HTTP ${status} (${codeText})${said}`, {
      code: codeText,
      cause: error,
    });
  }
  // Any other 4xx: Twilio refused this message for this person; sending it again will not help.
  return new ChannelUnusableError(`Twilio refused the message, HTTP ${status} (${codeText})${said}`, {
    code: codeText,
    cause: error,
  });
}
