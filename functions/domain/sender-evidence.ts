/**
 * Sender evidence: whether an inbound message proves who sent it well enough to change consent.
 *
 * SMS and WhatsApp arrive through a provider webhook whose signature is checked before the use
 * case runs, and the carrier, not the sender, fills in the number, so the number is the provider's
 * verdict. An email's From line is whatever the sender typed; only the receiving server's SPF and
 * DKIM results (SendGrid's `SPF` and `dkim` fields) say whether the sender's domain stood behind
 * it. Email counts as verified only when those results pass in a DMARC-aligned way (RFC 7489 §3.1,
 * relaxed alignment): a DKIM signature that passed for a domain of the same organisation as the
 * From domain, or an SPF pass for an envelope sender (MAIL FROM) of the same organisation.
 *
 * Opt-ins need that proof; opt-outs are honoured on weaker evidence, because wrongly stopping
 * messages is safe and wrongly starting them is not. The rule lives here and nowhere else.
 */
import { getDomain } from 'tldts';
import { ConsentStatus } from '../contract';
import type { AuthVerdict, EmailAuthentication, InboundReceipt } from './webhook-inputs';

/** What an inbound message proves about its sender. */
export type SenderEvidence =
  | { readonly verified: true; readonly basis: string }
  | { readonly verified: false; readonly reason: string };

const PASS: AuthVerdict = 'pass';

/**
 * The organisational domain of a host name (`mail.example.co.uk` → `example.co.uk`), or undefined
 * for a name with none (an IP literal, a bare public suffix, garbage).
 *
 * DMARC defines it as the public suffix plus one label, with the suffix taken from the Public
 * Suffix List; `tldts` ships a maintained copy of that list, so no suffix rules are written here.
 * Private-section entries (`github.io`, `herokuapp.com`, …) count as suffixes: two tenants of one
 * hosting domain are different organisations, and treating them as one would let one vouch for
 * the other. That is the stricter reading, which is the right way to err for an opt-in.
 */
export function organisationalDomain(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const name = host.trim().toLowerCase().replace(/\.$/, '');
  if (!name) return undefined;
  const domain = getDomain(name, { allowPrivateDomains: true, validateHostname: true });
  return domain ?? undefined;
}

/** The domain part of an email address, lower-cased; undefined when there is none. */
export function domainOfAddress(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const at = address.lastIndexOf('@');
  if (at < 0 || at === address.length - 1) return undefined;
  return address.slice(at + 1).toLowerCase();
}

function aligned(a: string | undefined, b: string | undefined): boolean {
  const orgA = organisationalDomain(a);
  return orgA !== undefined && orgA === organisationalDomain(b);
}

/** Whether the authentication results prove an email came from its From domain (DMARC-aligned). */
export function emailSenderEvidence(address: string, auth: EmailAuthentication | undefined): SenderEvidence {
  if (!auth) return { verified: false, reason: 'no SPF or DKIM results' };
  const fromDomain = auth.headerFromDomain ?? domainOfAddress(address);
  if (!organisationalDomain(fromDomain))
    return { verified: false, reason: 'the From domain is not a valid domain' };
  // The customer is found by `address`; it must belong to the same organisation as the header From
  // that the results vouch for, or the proof would be about someone else.
  if (!aligned(domainOfAddress(address), fromDomain)) {
    return { verified: false, reason: 'the sender address is not aligned with the From domain' };
  }
  const dkim = auth.dkim.find(
    (signature) => signature.result === PASS && aligned(signature.domain, fromDomain),
  );
  if (dkim) return { verified: true, basis: `dkim pass for ${dkim.domain}` };
  if (auth.spf === PASS && aligned(auth.envelopeFromDomain, fromDomain)) {
    return { verified: true, basis: `spf pass for ${auth.envelopeFromDomain}` };
  }
  const dkimSummary = auth.dkim.length
    ? auth.dkim.map((signature) => `${signature.domain} ${signature.result}`).join(', ')
    : 'none';
  return {
    verified: false,
    reason: `no aligned pass (spf ${auth.spf}${auth.spf === PASS ? ` for ${auth.envelopeFromDomain ?? 'no envelope domain'}` : ''}; dkim ${dkimSummary})`,
  };
}

/** What an inbound message proves about who sent it (see the module comment). */
export function senderEvidence(receipt: InboundReceipt): SenderEvidence {
  if (receipt.channel !== 'email') return { verified: true, basis: 'signed provider webhook' };
  return emailSenderEvidence(receipt.from, receipt.emailAuthentication);
}

/** Whether a consent change to `status` may follow from a message with this evidence. */
export function evidenceAllowsConsent(evidence: SenderEvidence, status: ConsentStatus): boolean {
  return evidence.verified || status === ConsentStatus.OPTED_OUT;
}
