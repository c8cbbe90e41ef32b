/**
 * Link tracking in a delivery: the step between the attempt's lease and the provider's send that
 * rewrites the message's links to short links (domain/links/). Per attempt, so a click credits the
 * attempt the customer received, and repeatable: the tokens proposed for the first lease are kept
 * on the attempt item (`linkTokens`, if_not_exists), so a retried send rewrites to the same short
 * links and rewrites the same link items; the link items are written before the message leaves,
 * so a click never finds nothing.
 */
import type { ChannelMessage } from '../../contract';
import type { AttemptKey } from '../ledger-model';
import type { LinkStore } from '../links/link-ports';
import { newLinkToken } from '../links/link-token';
import {
  fitsAfterRewrite,
  type LinkTrackingSettings,
  MAX_TRACKED_LINKS,
  tracksLinks,
} from '../links/link-tracking';
import { linksOfContent, rewriteLinks } from '../links/tracked-links';
import { chooseWhatsAppForm, WhatsAppForm } from '../whatsapp-window';

/** What link tracking needs in a sender. */
export interface LinkTrackingDependencies {
  readonly settings: LinkTrackingSettings;
  readonly store: Pick<LinkStore, 'saveLinks'>;
  /** A fresh token per link; tests pass their own. */
  readonly newToken?: () => string;
}

/**
 * Fresh tokens for the links this attempt tracks (none when it tracks none), offered to the lease:
 * the lease keeps the first offer it saw, so these only count on an attempt's first lease.
 */
export function proposeLinkTokens(
  message: ChannelMessage,
  links: LinkTrackingDependencies,
  now: Date,
): string[] {
  if (!tracksLinks(message, links.settings) || !links.settings.baseUrl) return [];
  // A WhatsApp message going out as its approved template carries no text of ours to rewrite.
  if (
    message.channel === 'whatsapp' &&
    chooseWhatsAppForm(message.content, message.windowOpenUntil, now) !== WhatsAppForm.FREEFORM
  ) {
    return [];
  }
  const count = Math.min(linksOfContent(message.channel, message.content).length, MAX_TRACKED_LINKS);
  const tokens = Array.from({ length: count }, () => (links.newToken ?? newLinkToken)());
  const rewritten = rewriteLinks(message.channel, message.content, tokens, links.settings.baseUrl);
  return fitsAfterRewrite(rewritten.text) ? tokens : [];
}

/**
 * The message as it goes out: its links rewritten with the tokens the lease kept, after their link
 * items are written; `erased` when the customer was erased since the lease (nothing was written).
 */
export async function withTrackedLinks(
  message: ChannelMessage,
  key: AttemptKey,
  tokens: readonly string[],
  links: LinkTrackingDependencies,
): Promise<ChannelMessage | 'erased'> {
  const { baseUrl } = links.settings;
  if (!baseUrl || tokens.length === 0) return message;
  const urls = linksOfContent(message.channel, message.content).slice(0, tokens.length);
  const saved = await links.store.saveLinks(
    key,
    urls.map((url, index) => ({ token: tokens[index] as string, url })),
  );
  if (saved === 'erased') return 'erased';
  return {
    ...message,
    content: rewriteLinks(message.channel, message.content, tokens.slice(0, urls.length), baseUrl),
  };
}
