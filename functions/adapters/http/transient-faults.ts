/**
 * Recognises transport faults (timeouts, connection resets, DNS hiccups) whatever HTTP client
 * raised them: Node's fetch (undici) wraps them as a `cause`, axios and node:https set `code`.
 */

/** Error codes of Node, undici and axios that mean "the network failed, try again". */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/** Names of errors raised by an aborted or timed-out request. */
const TRANSIENT_NAMES = new Set(['AbortError', 'TimeoutError']);

/** The transport fault code of an error or one of its causes, or undefined when it is not one. */
export function transientFaultCode(error: unknown, depth = 0): string | undefined {
  if (depth > 4 || typeof error !== 'object' || error === null) return undefined;
  const { code, name, cause } = error as { code?: unknown; name?: unknown; cause?: unknown };
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return code;
  if (typeof name === 'string' && TRANSIENT_NAMES.has(name)) return name;
  return transientFaultCode(cause, depth + 1);
}

/** Seconds from a Retry-After header (delta-seconds or HTTP date), when there is a usable one. */
export function retryAfterSeconds(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
