/**
 * Reads one page of a customer's timeline for the API: at most 100 entries (25 unless asked), from
 * the cursor the previous page returned, optionally only some kinds (`types=`), channels
 * (`channels=`) or entries since a time (`since=`). Every bad value is reported with its field, like
 * any other invalid request; a cursor the reader did not issue for this customer too.
 */
import {
  ContractValidationError,
  type FieldIssue,
  TIMELINE_CHANNELS,
  TIMELINE_ENTRY_TYPES,
  type TimelinePage,
  timestamp,
} from '../../contract';
import { InvalidCursorError } from '../errors';
import type { TimelineRead, TimelineReader } from '../timeline/timeline-ports';

/** Entries on a page when the caller does not say. */
export const DEFAULT_TIMELINE_LIMIT = 25;
/** Most entries on one page. */
export const MAX_TIMELINE_LIMIT = 100;

/** What reading a timeline needs. */
export interface ReadTimelinePorts {
  readonly timeline: TimelineReader;
}

/** The query as the caller wrote it (strings from the URL, or absent). */
export interface TimelineQuery {
  readonly limit?: string | undefined;
  readonly cursor?: string | undefined;
  /** Comma-separated entry kinds (`message,touchpoint`). */
  readonly types?: string | undefined;
  /** Comma-separated channels (`sms,web`). */
  readonly channels?: string | undefined;
  /** An ISO 8601 date-time with a time zone. */
  readonly since?: string | undefined;
}

/** One page of the timeline. Throws ContractValidationError naming every bad query field. */
export async function readTimeline(
  customerId: string,
  query: TimelineQuery,
  ports: ReadTimelinePorts,
): Promise<TimelinePage> {
  const read = parseTimelineQuery(query);
  try {
    return await ports.timeline.timeline(customerId, read);
  } catch (error) {
    if (!(error instanceof InvalidCursorError)) throw error;
    throw new ContractValidationError('timeline query', [{ field: 'cursor', message: error.message }]);
  }
}

/** The query's values checked, or a ContractValidationError with one issue per bad field. */
export function parseTimelineQuery(query: TimelineQuery): TimelineRead {
  const issues: FieldIssue[] = [];
  const limit = query.limit === undefined ? DEFAULT_TIMELINE_LIMIT : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_TIMELINE_LIMIT) {
    issues.push({ field: 'limit', message: `must be a whole number from 1 to ${MAX_TIMELINE_LIMIT}` });
  }
  const types = listOf('types', query.types, TIMELINE_ENTRY_TYPES, issues);
  const channels = listOf('channels', query.channels, TIMELINE_CHANNELS, issues);
  let since: string | undefined;
  if (query.since !== undefined) {
    const parsed = timestamp.safeParse(query.since);
    if (parsed.success) since = new Date(parsed.data).toISOString();
    else
      issues.push({
        field: 'since',
        message: 'must be an ISO 8601 date-time with a time zone, such as 2026-11-23T14:00:00Z',
      });
  }
  if (issues.length > 0) throw new ContractValidationError('timeline query', issues);
  return {
    limit,
    ...(query.cursor ? { cursor: query.cursor } : {}),
    ...(types ? { types } : {}),
    ...(channels ? { channels } : {}),
    ...(since ? { since } : {}),
  };
}

/** A comma list of names from `allowed`, without repeats; an issue for an empty list or an unknown name. */
function listOf<T extends string>(
  field: string,
  raw: string | undefined,
  allowed: readonly T[],
  issues: FieldIssue[],
): T[] | undefined {
  if (raw === undefined) return undefined;
  const names = raw.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(allowed as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    const which = unknown.map((name) => (name === '' ? '(empty)' : name)).join(', ');
    issues.push({ field, message: `has ${which}: each must be one of ${allowed.join(', ')}` });
    return undefined;
  }
  return [...new Set(names as T[])];
}
