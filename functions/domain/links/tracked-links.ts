/**
 * Finding the links of a message and rewriting them to short links (`<base>/c/<token>`): pure, so
 * the sender can rewrite and the tests can check the text a customer receives.
 *
 * URL detection is linkify-it's (markdown-it's linkifier: full Unicode, trailing punctuation and
 * brackets handled), with its fuzzy matches off: only links written with `http://` or `https://`
 * are tracked, never `www.example.com`, an email address or a bare domain, whose target a
 * rewrite would have to guess.
 */
import { LinkifyIt } from 'linkify-it';
import type { Channel, RenderedContent } from '../../contract';

const linkify = new LinkifyIt().set({ fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false });

const TRACKED_SCHEMES: ReadonlySet<string> = new Set(['http:', 'https:']);

/** One link in a text: where it is and what it points at (as written). */
export interface LinkSpan {
  readonly start: number;
  readonly end: number;
  readonly url: string;
}

/** The http(s) links of a text, in order. */
export function findLinks(text: string): LinkSpan[] {
  return (linkify.match(text) ?? [])
    .filter((match) => TRACKED_SCHEMES.has(match.schema.toLowerCase()) && isWebUrl(match.raw))
    .map((match) => ({ start: match.index, end: match.lastIndex, url: match.raw }));
}

function isWebUrl(raw: string): boolean {
  try {
    return TRACKED_SCHEMES.has(new URL(raw).protocol);
  } catch {
    return false;
  }
}

/** The content fields whose links a channel tracks: the text everywhere, and push's tap target. */
function trackedFields(channel: Channel): readonly ('text' | 'url')[] {
  return channel === 'push' ? ['text', 'url'] : ['text'];
}

/** The links of a message's content, in the order {@link rewriteLinks} numbers them. */
export function linksOfContent(channel: Channel, content: RenderedContent): string[] {
  const urls: string[] = [];
  for (const field of trackedFields(channel)) {
    const value = content[field];
    if (value === undefined) continue;
    if (field === 'url') urls.push(value);
    else urls.push(...findLinks(value).map((link) => link.url));
  }
  return urls;
}

/** The short link of a token. */
export function shortLink(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/c/${token}`;
}

/**
 * The content with its links replaced, the n-th link of {@link linksOfContent} by the short link of
 * `tokens[n]`; links past the last token are left as they are.
 */
export function rewriteLinks(
  channel: Channel,
  content: RenderedContent,
  tokens: readonly string[],
  baseUrl: string,
): RenderedContent {
  let next = 0;
  const linkFor = (url: string): string => {
    const token = tokens[next++];
    return token === undefined ? url : shortLink(baseUrl, token);
  };
  const rewritten: { -readonly [K in keyof RenderedContent]: RenderedContent[K] } = { ...content };
  for (const field of trackedFields(channel)) {
    const value = content[field];
    if (value === undefined) continue;
    if (field === 'url') {
      rewritten.url = linkFor(value);
      continue;
    }
    let text = '';
    let from = 0;
    for (const link of findLinks(value)) {
      text += value.slice(from, link.start) + linkFor(link.url);
      from = link.end;
    }
    rewritten.text = text + value.slice(from);
  }
  return rewritten;
}
