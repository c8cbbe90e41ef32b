/**
 * Which entries a timeline filter keeps — the rule's one home. `types=` keeps the named kinds;
 * `channels=` keeps entries on one of the named channels: a message on a channel one of its attempts
 * was planned for, a reply, click or consent change on its channel, a touchpoint or conversion where
 * it happened. An entry with no channel (a message the router rejected before planning, a touchpoint
 * that did not say) has none to match, so a channel filter drops it.
 */
import type { TimelineEntryType } from '../../contract';
import type { TimelineRead } from './timeline-ports';

/** Whether an entry of `type` on `channels` passes the filter. */
export function matchesTimelineFilter(
  type: TimelineEntryType,
  channels: readonly string[],
  filter: Pick<TimelineRead, 'types' | 'channels'>,
): boolean {
  if (filter.types && !filter.types.includes(type)) return false;
  if (!filter.channels) return true;
  const wanted: readonly string[] = filter.channels;
  return channels.some((channel) => wanted.includes(channel));
}

/** Whether the filter can keep any entry of these kinds (so the reader skips a read that cannot). */
export function wantsAnyOf(
  types: readonly TimelineEntryType[],
  filter: Pick<TimelineRead, 'types'>,
): boolean {
  return !filter.types || types.some((type) => filter.types?.includes(type));
}

/** Whether a filter may drop entries, so a page needs more than `limit` items read to fill it. */
export function isFiltered(filter: Pick<TimelineRead, 'types' | 'channels'>): boolean {
  return filter.types !== undefined || filter.channels !== undefined;
}
