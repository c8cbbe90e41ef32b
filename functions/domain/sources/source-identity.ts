/**
 * Who an event from a source may say it is about. A server source's key is a secret, so its events
 * are trusted as sent. A client source's key is public (in a web page or an app), so its events are
 * anonymous unless they carry a valid `userHash` (./user-hash.ts): without one the userId is dropped
 * and the event kept on its anonymousId; with neither, it is rejected with a field issue.
 */
import type { FieldIssue, TouchpointEvent } from '../../contract';
import type { Admission } from '../touchpoints/touchpoint-ports';
import { userHashMatches } from './user-hash';
import { type Source, SourceKind } from './write-keys';

/** The event as the source may send it, or why it may not. */
export function admitFromSource(event: TouchpointEvent, source: Source): Admission {
  if (source.kind === SourceKind.SERVER || event.userId === undefined) return { ok: true, event };
  const userHash = event.userHash ?? event.context?.userHash;
  if (source.userHashSecret && userHashMatches(event.userId, userHash, source.userHashSecret)) {
    return { ok: true, event };
  }
  if (event.anonymousId === undefined) {
    const issue: FieldIssue = {
      field: 'userHash',
      message:
        'a client source must prove the userId with userHash (HMAC-SHA256 of the userId with the source secret), or send an anonymousId',
    };
    return { ok: false, issues: [issue] };
  }
  const { userId: _unproven, ...anonymous } = event;
  return { ok: true, event: anonymous };
}
