/**
 * Consent from the customer's own words. A reply that is exactly a carrier keyword (STOP, START,
 * HELP, …) is an instruction the carriers' rules (CTIA, and Twilio's Advanced Opt-Out) oblige us to
 * honour; a sentence such as "please stop texting me" is clear to a person but not a keyword, so
 * configuration decides whether it opts out or is flagged for a human.
 *
 * Pure: no I/O. The webhook use cases turn the result into a consent change.
 */

/** What a message means for consent. */
export const ConsentIntent = {
  OPT_OUT: 'opt_out',
  OPT_IN: 'opt_in',
  HELP: 'help',
  /** A plain-language request that configuration says to flag rather than act on. */
  REVIEW: 'review',
  NONE: 'none',
} as const;
/** A consent intent. */
export type ConsentIntent = (typeof ConsentIntent)[keyof typeof ConsentIntent];

/** What to do with a plain-language opt-out request. */
export const PlainLanguagePolicy = { OPT_OUT: 'opt-out', FLAG: 'flag' } as const;
/** A plain-language policy. */
export type PlainLanguagePolicy = (typeof PlainLanguagePolicy)[keyof typeof PlainLanguagePolicy];

/** Keywords that opt out of the channel (CTIA / Twilio Advanced Opt-Out defaults). */
export const OPT_OUT_KEYWORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'] as const;
/** French opt-out keyword, for French-speaking customers (Canadian carriers honour ARRET). */
export const FRENCH_OPT_OUT_KEYWORDS = ['ARRET'] as const;
/** Keywords that opt back in. */
export const OPT_IN_KEYWORDS = ['START', 'UNSTOP', 'YES'] as const;
/** Keywords asking for help; recorded, never a consent change. */
export const HELP_KEYWORDS = ['HELP', 'INFO'] as const;
/** French help keyword. */
export const FRENCH_HELP_KEYWORDS = ['AIDE'] as const;

/** How to read a message. */
export interface ConsentKeywordOptions {
  /** What a plain-language request to stop does. */
  readonly plainLanguage: PlainLanguagePolicy;
  /**
   * The customer's BCP 47 locale, when known. French keywords apply to French locales and to
   * senders whose locale is unknown; a customer known to speak another language is not matched on
   * them, so "arret" in, say, an Italian sentence is not an opt-out.
   */
  readonly locale?: string;
}

/** What the message means, and why. */
export interface ConsentInterpretation {
  readonly intent: ConsentIntent;
  /** The keyword matched, upper case and without accents, or the phrase rule's name. */
  readonly matched?: string;
  /** `keyword` for an exact carrier keyword, `phrase` for a plain-language request. */
  readonly matchedBy?: 'keyword' | 'phrase';
}

// Plain-language requests to stop. Narrow on purpose: a false opt-out silences a customer who
// wanted messages, so each pattern needs both a stop verb and what to stop.
const PLAIN_LANGUAGE_OPT_OUT: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  {
    name: 'stop-contacting',
    pattern:
      /\b(stop|quit|cease)\s+(texting|messaging|sending|emailing|e-mailing|contacting|calling|spamming|writing)\b/,
  },
  { name: 'no-more-messages', pattern: /\bno\s+more\s+(texts|messages|emails|e-mails|sms)\b/ },
  {
    name: 'do-not-contact',
    pattern: /\b(don'?t|do\s+not|never)\s+(text|message|email|e-mail|contact|sms)\s+(me|us)\b/,
  },
  { name: 'remove-me', pattern: /\b(remove|take)\s+me\s+(off|from)\b/ },
  { name: 'unsubscribe-me', pattern: /\b(unsubscribe|opt\s*-?\s*out)\b/ },
  {
    name: 'fr-stop',
    pattern: /\b(arretez|arrete|cessez)\s+(de\s+)?(m'?\s*envoyer|me\s+contacter|les\s+sms|les\s+messages)/,
  },
  { name: 'fr-unsubscribe', pattern: /\b(desabonner|desinscrire|desabonnez|desinscrivez)\b/ },
];

// "Don't stop texting me" is not a request to stop.
const NEGATED_STOP = /\b(don'?t|do\s+not|never)\s+(stop|quit|cease|unsubscribe|remove)\b/;

/** Reads what a customer's message means for their consent on the channel it came from. */
export function interpretConsentKeywords(
  text: string,
  options: ConsentKeywordOptions,
): ConsentInterpretation {
  const normalised = normalise(text);
  // A keyword is the whole message, give or take spaces and punctuation ("Stop.", " stop all ").
  const compact = normalised.replace(/[\s.!?,;:'"()-]/g, '');
  const keyword = /^[A-Z]+$/.test(compact) ? compact : '';
  const french = speaksFrench(options.locale);
  if (keyword !== '') {
    if (isOneOf(keyword, OPT_OUT_KEYWORDS) || (french && isOneOf(keyword, FRENCH_OPT_OUT_KEYWORDS))) {
      return { intent: ConsentIntent.OPT_OUT, matched: keyword, matchedBy: 'keyword' };
    }
    if (isOneOf(keyword, OPT_IN_KEYWORDS)) {
      return { intent: ConsentIntent.OPT_IN, matched: keyword, matchedBy: 'keyword' };
    }
    if (isOneOf(keyword, HELP_KEYWORDS) || (french && isOneOf(keyword, FRENCH_HELP_KEYWORDS))) {
      return { intent: ConsentIntent.HELP, matched: keyword, matchedBy: 'keyword' };
    }
  }
  const sentence = normalised.toLowerCase().replace(/[’`]/g, "'");
  if (NEGATED_STOP.test(sentence)) return { intent: ConsentIntent.NONE };
  const rule = PLAIN_LANGUAGE_OPT_OUT.find((candidate) => candidate.pattern.test(sentence));
  if (rule) {
    const intent =
      options.plainLanguage === PlainLanguagePolicy.OPT_OUT ? ConsentIntent.OPT_OUT : ConsentIntent.REVIEW;
    return { intent, matched: rule.name, matchedBy: 'phrase' };
  }
  return { intent: ConsentIntent.NONE };
}

/** Upper case, accents removed (ARRÊT → ARRET), whitespace collapsed, trimmed. */
function normalise(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase().replace(/\s+/g, ' ').trim();
}

function isOneOf(value: string, list: readonly string[]): boolean {
  return list.includes(value);
}

function speaksFrench(locale: string | undefined): boolean {
  return locale === undefined || /^fr(-|$)/i.test(locale);
}
