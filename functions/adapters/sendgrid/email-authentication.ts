/**
 * SendGrid Inbound Parse's authentication fields → {@link EmailAuthentication}. This only reads
 * the verdicts; what they are worth for consent is decided in domain/sender-evidence.ts.
 *
 * `SPF` is one RFC 8601 result word (`pass`, `softfail`, …). `dkim` is SendGrid's own rendering,
 * one `@domain : result` pair per signature inside braces: `{@example.com : pass}`,
 * `{@example.com : pass, @esp.example : fail}`, or `none` / empty when the mail was not signed.
 * No library parses this SendGrid-specific format, so it is read by hand; anything unreadable
 * becomes `unknown` (never a pass) instead of an error, because a malformed verdict must not lose
 * the message itself.
 */
import type { AuthVerdict, EmailAuthentication } from '../../domain/webhook-inputs';

const VERDICTS: ReadonlySet<string> = new Set([
  'pass',
  'fail',
  'softfail',
  'neutral',
  'none',
  'temperror',
  'permerror',
  'policy',
]);

/** Most DKIM signatures read from one message (a real message carries one to three). */
const MAX_SIGNATURES = 20;

/** One verdict word (`Pass`, ` softfail (reason)`) as an {@link AuthVerdict}; `unknown` otherwise. */
export function readVerdict(raw: string | undefined): AuthVerdict {
  const word = /^\s*([a-z]+)/i.exec(raw ?? '')?.[1]?.toLowerCase();
  return word && VERDICTS.has(word) ? (word as AuthVerdict) : 'unknown';
}

/** The signatures in SendGrid's `dkim` field; an empty list when there are none or it is unreadable. */
export function readDkim(raw: string | undefined): EmailAuthentication['dkim'] {
  if (!raw) return [];
  const inner = raw.trim().replace(/^\{/, '').replace(/\}$/, '');
  const signatures: { domain: string; result: AuthVerdict }[] = [];
  for (const part of inner.split(',').slice(0, MAX_SIGNATURES)) {
    const match = /^\s*@?([a-z0-9][a-z0-9.-]{0,252})\s*:\s*(\S.*)$/i.exec(part);
    if (match?.[1] && match[2])
      signatures.push({ domain: match[1].toLowerCase(), result: readVerdict(match[2]) });
  }
  return signatures;
}

/** The authentication results of an Inbound Parse POST, with the two identities they are about. */
export function readEmailAuthentication(fields: {
  readonly spf: string | undefined;
  readonly dkim: string | undefined;
  readonly headerFrom: string | undefined;
  readonly envelopeFrom: string | undefined;
}): EmailAuthentication {
  const headerFromDomain = domainPart(fields.headerFrom);
  const envelopeFromDomain = domainPart(fields.envelopeFrom);
  return {
    ...(headerFromDomain ? { headerFromDomain } : {}),
    ...(envelopeFromDomain ? { envelopeFromDomain } : {}),
    spf: readVerdict(fields.spf),
    dkim: readDkim(fields.dkim),
  };
}

function domainPart(address: string | undefined): string | undefined {
  const at = address?.lastIndexOf('@') ?? -1;
  return address && at >= 0 && at < address.length - 1 ? address.slice(at + 1).toLowerCase() : undefined;
}
