/**
 * What each channel accepts. A broken rule (too long for the provider, a line break in a subject,
 * a WhatsApp parameter Meta would refuse) rejects the render; a soft limit (more SMS segments than
 * configured, a push title a phone will cut) is a warning. Nothing is ever truncated.
 */
import { MAX_SUBJECT_CHARS, MAX_TEXT_CHARS, MAX_TITLE_CHARS } from '../../contract';
import { type SmsSegments, smsSegments } from '../sms-segments';

/** Hard and soft limits per channel, in characters (UTF-16 units) unless named otherwise. */
export const CHANNEL_LIMITS = {
  /** Twilio refuses SMS bodies over 1,600 characters. */
  smsMaxChars: MAX_TEXT_CHARS,
  /** Default number of SMS segments past which a render warns (each segment is billed). */
  smsWarnSegments: 3,
  /** WhatsApp freeform body limit. */
  whatsappMaxChars: 4096,
  /** Meta's limit for one template parameter value (and the contract's). */
  whatsappVariableMaxChars: 1024,
  /** RFC 5322 line length; a longer subject is refused. */
  emailSubjectMaxChars: MAX_SUBJECT_CHARS,
  /** Inboxes show about this much of a subject, mobile ones less. */
  emailSubjectWarnChars: 78,
  /** The contract's push title limit. */
  pushTitleMaxChars: MAX_TITLE_CHARS,
  /** Android and iOS cut notification titles at about this length. */
  pushTitleWarnChars: 50,
  /** A push body past this no longer fits an FCM payload comfortably. */
  pushBodyMaxChars: 1024,
  /** Collapsed notifications show about this much of the body. */
  pushBodyWarnChars: 150,
} as const;

/** What a rule check found: errors reject the render, warnings are reported. */
export interface RuleReport {
  readonly errors: string[];
  readonly warnings: string[];
}

/** Checks an SMS body: never empty, within Twilio's limit, warned past `warnSegments` segments. */
export function checkSmsText(text: string, warnSegments: number): RuleReport & { segments: SmsSegments } {
  const report = emptyReport();
  const segments = smsSegments(text);
  requireText(report, 'SMS text', text);
  if (text.length > CHANNEL_LIMITS.smsMaxChars) {
    report.errors.push(
      `SMS text is ${text.length} characters; Twilio accepts at most ${CHANNEL_LIMITS.smsMaxChars}`,
    );
  }
  if (segments.segments > warnSegments) {
    report.warnings.push(
      `SMS text is ${segments.segments} ${segments.encoding} segments (${segments.characters} units); more than ${warnSegments}`,
    );
  }
  return { ...report, segments };
}

/** Checks a WhatsApp freeform body. */
export function checkWhatsAppText(text: string): RuleReport {
  const report = emptyReport();
  requireText(report, 'WhatsApp text', text);
  if (text.length > CHANNEL_LIMITS.whatsappMaxChars) {
    report.errors.push(
      `WhatsApp text is ${text.length} characters; WhatsApp accepts at most ${CHANNEL_LIMITS.whatsappMaxChars}`,
    );
  }
  return report;
}

/** Checks an approved template's variables against its declared parameters and Meta's rules for values. */
export function checkWhatsAppVariables(
  declared: readonly string[],
  variables: Readonly<Record<string, string>>,
): RuleReport {
  const report = emptyReport();
  const given = Object.keys(variables);
  for (const name of declared) {
    if (!given.includes(name)) report.errors.push(`WhatsApp template parameter {{${name}}} has no value`);
  }
  for (const name of given) {
    const value = variables[name] ?? '';
    if (!declared.includes(name)) {
      report.errors.push(
        `WhatsApp template variable "${name}" is not a declared parameter (${declared.join(', ')})`,
      );
      continue;
    }
    if (value.trim() === '') report.errors.push(`WhatsApp template parameter {{${name}}} rendered empty`);
    if (/[\n\t]/.test(value))
      report.errors.push(`WhatsApp template parameter {{${name}}} contains a line break or tab`);
    if (/ {5}/.test(value))
      report.errors.push(`WhatsApp template parameter {{${name}}} has more than 4 spaces in a row`);
    if (value.length > CHANNEL_LIMITS.whatsappVariableMaxChars) {
      report.errors.push(
        `WhatsApp template parameter {{${name}}} is ${value.length} characters; at most ${CHANNEL_LIMITS.whatsappVariableMaxChars}`,
      );
    }
  }
  return report;
}

/** Checks an email subject: one line, within the RFC limit, warned when inboxes would cut it. */
export function checkEmailSubject(subject: string): RuleReport {
  const report = emptyReport();
  requireText(report, 'email subject', subject);
  // A line break in a subject is a header injection waiting to happen.
  if (/[\r\n]/.test(subject)) report.errors.push('email subject must be one line');
  if (subject.length > CHANNEL_LIMITS.emailSubjectMaxChars) {
    report.errors.push(
      `email subject is ${subject.length} characters; at most ${CHANNEL_LIMITS.emailSubjectMaxChars}`,
    );
  } else if (subject.length > CHANNEL_LIMITS.emailSubjectWarnChars) {
    report.warnings.push(
      `email subject is ${subject.length} characters; inboxes show about ${CHANNEL_LIMITS.emailSubjectWarnChars}`,
    );
  }
  return report;
}

/** Checks a push title and body. */
export function checkPush(title: string, body: string): RuleReport {
  const report = emptyReport();
  requireText(report, 'push title', title);
  requireText(report, 'push body', body);
  if (/[\r\n]/.test(title)) report.errors.push('push title must be one line');
  if (title.length > CHANNEL_LIMITS.pushTitleMaxChars) {
    report.errors.push(
      `push title is ${title.length} characters; at most ${CHANNEL_LIMITS.pushTitleMaxChars}`,
    );
  } else if (title.length > CHANNEL_LIMITS.pushTitleWarnChars) {
    report.warnings.push(
      `push title is ${title.length} characters; phones show about ${CHANNEL_LIMITS.pushTitleWarnChars}`,
    );
  }
  if (body.length > CHANNEL_LIMITS.pushBodyMaxChars) {
    report.errors.push(`push body is ${body.length} characters; at most ${CHANNEL_LIMITS.pushBodyMaxChars}`);
  } else if (body.length > CHANNEL_LIMITS.pushBodyWarnChars) {
    report.warnings.push(
      `push body is ${body.length} characters; phones show about ${CHANNEL_LIMITS.pushBodyWarnChars}`,
    );
  }
  return report;
}

/** Checks that a rendered link is an absolute http(s) URL. */
export function checkUrl(what: string, value: string): RuleReport {
  const report = emptyReport();
  if (!/^https?:\/\/[^\s]+$/.test(value) || !URL.canParse(value)) {
    report.errors.push(`${what} must be an absolute http(s) URL, got "${value}"`);
  }
  return report;
}

function requireText(report: RuleReport, what: string, value: string): void {
  if (value.trim() === '') report.errors.push(`${what} rendered empty`);
}

function emptyReport(): RuleReport {
  return { errors: [], warnings: [] };
}
