/**
 * The local stand-in for Switchboard's API Gateway HTTP API and the webhooks' Lambda function URLs:
 * a Node HTTP server on 127.0.0.1 that turns each request into the payload format 2.0 event API
 * Gateway (or a function URL: same format) would send, calls the handler of the matching route, and
 * writes its structured result back. In AWS the `/webhooks/...` paths are served on two function
 * URLs (one per provider) and `/v1/...` on the HTTP API; locally all of them share this one server.
 * Local-only pages (the console) are served beside it by plain request listeners.
 *
 * What it copies from API Gateway, so that handlers tested here behave the same on AWS:
 * - routes are `METHOD /path` keys with `{param}` and greedy `{param+}` segments; exact routes win;
 * - headers are lower-cased, repeated headers joined with commas, cookies moved to `cookies`;
 * - a body that is not text (anything but text/*, JSON and XML — including form posts such as
 *   Twilio's) arrives base64-encoded with `isBase64Encoded: true`;
 * - 404 `{"message":"Not Found"}`, 413 over the payload limit, 500 when a handler throws or
 *   returns something malformed, 503 when it runs past the integration timeout.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { type CorsPolicy, preflightHeaders, responseCorsHeaders } from './ingest-cors';
import { lambdaContext } from './lambda-context';

/** A Lambda behind an HTTP API route. */
export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyResultV2>;

/** One route: `method` is an HTTP method or `ANY`; `path` may hold `{name}` and a final `{name+}`. */
export interface HttpRoute {
  readonly method: string;
  readonly path: string;
  readonly handler: HttpHandler;
  /** The function's name, for the Lambda context and logs. */
  readonly functionName: string;
}

/**
 * A local-only request listener (console pages, live updates). Returns true when it handled the
 * request; otherwise the API routes are tried.
 */
export type LocalListener = (
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
) => boolean | Promise<boolean>;

/** Options for {@link startHttpServer}. */
export interface HttpServerOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly routes?: readonly HttpRoute[];
  readonly listeners?: readonly LocalListener[];
  /** API Gateway's payload limit is 10 MB. */
  readonly maxBodyBytes?: number;
  /** API Gateway's integration timeout is 30 s. */
  readonly timeoutMs?: number;
  readonly region?: string;
  readonly log?: { error(message: string, error: unknown): void };
  /** CORS for the paths under a prefix (the public ingest's, as its function URL in AWS). */
  readonly cors?: CorsPolicy;
}

/** A running local HTTP API. */
export interface LocalHttpServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Adds a route, e.g. when a handler module has been loaded. */
  addRoute(route: HttpRoute): void;
  /** Adds a local-only listener, tried before the routes. */
  addListener(listener: LocalListener): void;
  /** Route keys, e.g. `POST /v1/messages`. */
  routeKeys(): string[];
  /** Stops accepting connections, closes open ones (live-update streams too) and resolves when closed. */
  stop(): Promise<void>;
}

const TEN_MB = 10 * 1024 * 1024;

/** Starts the server on 127.0.0.1. */
export async function startHttpServer(options: HttpServerOptions = {}): Promise<LocalHttpServer> {
  const table = new RouteTable();
  for (const route of options.routes ?? []) table.add(route);
  const listeners: LocalListener[] = [...(options.listeners ?? [])];
  const settings = {
    maxBodyBytes: options.maxBodyBytes ?? TEN_MB,
    timeoutMs: options.timeoutMs ?? 30_000,
    region: options.region ?? 'us-east-1',
    log: options.log ?? { error: (message: string, error: unknown) => console.error(message, error) },
    cors: options.cors,
  };
  const server = createServer((request, response) => {
    serve(request, response, table, listeners, settings).catch((error: unknown) => {
      settings.log.error('local HTTP server: request failed', error);
      if (!response.headersSent) writeJson(response, 500, { message: 'Internal Server Error' });
      else response.destroy();
    });
  });
  await listen(server, options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    addRoute: (route) => table.add(route),
    addListener: (listener) => {
      listeners.push(listener);
    },
    routeKeys: () => table.keys(),
    stop: () => {
      stopping ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}

interface Settings {
  readonly maxBodyBytes: number;
  readonly timeoutMs: number;
  readonly region: string;
  readonly log: { error(message: string, error: unknown): void };
  readonly cors: CorsPolicy | undefined;
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  table: RouteTable,
  listeners: readonly LocalListener[],
  settings: Settings,
): Promise<void> {
  let url: URL;
  try {
    url = new URL(request.url ?? '/', 'http://127.0.0.1');
  } catch {
    writeJson(response, 400, { message: 'Bad Request' });
    return;
  }
  for (const listener of listeners) {
    if (await listener(request, response, url)) return;
  }
  const rawPath = (request.url ?? '/').split('?')[0] ?? '/';
  const cors = settings.cors && rawPath.startsWith(settings.cors.pathPrefix) ? settings.cors : undefined;
  const origin = request.headers.origin;
  if (cors && request.method === 'OPTIONS') {
    // As a function URL: the preflight never reaches the function.
    request.resume();
    response.writeHead(204, preflightHeaders(cors, origin));
    response.end();
    return;
  }
  const corsHeaders = cors ? responseCorsHeaders(cors, origin) : {};
  const match = table.match(request.method ?? 'GET', rawPath);
  if (!match) {
    request.resume();
    writeJson(response, 404, { message: 'Not Found' }, corsHeaders);
    return;
  }
  const body = await readBody(request, settings.maxBodyBytes);
  if (body === 'too-large') {
    writeJson(
      response,
      413,
      { message: 'Request Entity Too Large' },
      { connection: 'close', ...corsHeaders },
    );
    return;
  }
  const event = toEventV2(request, rawPath, body, match);
  const context = lambdaContext(match.route.functionName, settings.region, settings.timeoutMs);
  let result: APIGatewayProxyResultV2;
  try {
    result = await withTimeout(match.route.handler(event, context), settings.timeoutMs);
  } catch (error) {
    if (error instanceof IntegrationTimeout) {
      writeJson(response, 503, { message: 'Service Unavailable' }, corsHeaders);
      return;
    }
    settings.log.error(`${match.route.functionName} threw`, error);
    writeJson(response, 500, { message: 'Internal Server Error' }, corsHeaders);
    return;
  }
  writeResult(response, result, settings, corsHeaders);
}

/** A matched route with its path parameters. */
interface RouteMatch {
  readonly route: HttpRoute;
  readonly routeKey: string;
  readonly pathParameters: Record<string, string> | undefined;
}

/** Routes by key, matched the way API Gateway matches them. */
export class RouteTable {
  readonly #routes: { key: string; route: HttpRoute; pattern: RegExp; params: string[]; rank: number }[] = [];

  /** Adds a route; a second route with the same key is an error, as in API Gateway. */
  add(route: HttpRoute): void {
    const method = route.method.toUpperCase();
    const key = `${method} ${route.path}`;
    if (this.#routes.some((r) => r.key === key)) throw new Error(`Route ${key} is defined twice`);
    const params: string[] = [];
    let greedy = false;
    const source = route.path
      .split('/')
      .map((segment) => {
        const param = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(segment);
        if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        params.push(param[1] as string);
        if (param[2]) {
          greedy = true;
          return '(.+)';
        }
        return '([^/]+)';
      })
      .join('/');
    // Exact routes first, then by fewer parameters, greedy last; ANY after a specific method.
    const rank = (greedy ? 1000 : 0) + params.length * 10 + (method === 'ANY' ? 1 : 0);
    this.#routes.push({ key, route: { ...route, method }, pattern: new RegExp(`^${source}$`), params, rank });
    this.#routes.sort((a, b) => a.rank - b.rank);
  }

  /** The best route for a request, or undefined. */
  match(method: string, rawPath: string): RouteMatch | undefined {
    const upper = method.toUpperCase();
    for (const entry of this.#routes) {
      if (entry.route.method !== upper && entry.route.method !== 'ANY') continue;
      const found = entry.pattern.exec(rawPath);
      if (!found) continue;
      let pathParameters: Record<string, string> | undefined;
      if (entry.params.length > 0) {
        pathParameters = {};
        for (const [index, name] of entry.params.entries()) {
          pathParameters[name] = safeDecode(found[index + 1] as string);
        }
      }
      return { route: entry.route, routeKey: entry.key, pathParameters };
    }
    return undefined;
  }

  /** Every route key. */
  keys(): string[] {
    return this.#routes.map((r) => r.key);
  }
}

/** Reads the body, or 'too-large' once it passes the limit (the rest is drained, not kept). */
function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer | 'too-large'> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > maxBytes) {
    request.resume();
    return Promise.resolve('too-large');
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    request.once('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    request.once('error', reject);
  });
}

/** Content types API Gateway passes through as text; every other body is base64-encoded. */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/xml' ||
    type.endsWith('+xml') ||
    type === 'application/javascript'
  );
}

/** The payload format 2.0 event for a request. */
export function toEventV2(
  request: IncomingMessage,
  rawPath: string,
  body: Buffer,
  match: Pick<RouteMatch, 'routeKey' | 'pathParameters'>,
): APIGatewayProxyEventV2 {
  const rawUrl = request.url ?? '/';
  const queryIndex = rawUrl.indexOf('?');
  const rawQueryString = queryIndex === -1 ? '' : rawUrl.slice(queryIndex + 1);
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, values] of Object.entries(request.headersDistinct)) {
    if (!values) continue;
    if (name === 'cookie') {
      cookies = values.flatMap((value) => value.split(/;\s*/)).filter((c) => c !== '');
      continue;
    }
    headers[name] = values.join(',');
  }
  const sourceIp = (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const localPort = request.socket.localPort ?? 80;
  // API Gateway adds these; handlers that rebuild the public URL (to check a signature) read them.
  headers['x-forwarded-for'] = headers['x-forwarded-for']
    ? `${headers['x-forwarded-for']}, ${sourceIp}`
    : sourceIp;
  headers['x-forwarded-port'] = String(localPort);
  headers['x-forwarded-proto'] = 'http';
  headers['x-amzn-trace-id'] ??=
    `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  const queryStringParameters = parseQuery(rawQueryString);
  const now = new Date();
  const host = headers.host ?? `127.0.0.1:${localPort}`;
  // A compressed body is bytes whatever its content type: API Gateway and function URLs base64 it.
  const text = isTextContentType(headers['content-type']) && !headers['content-encoding'];
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: match.routeKey,
    rawPath,
    rawQueryString,
    headers,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      http: {
        method: (request.method ?? 'GET').toUpperCase(),
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: match.routeKey,
      stage: '$default',
      time: apiGatewayTime(now),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: body.length > 0 && !text,
  };
  if (cookies && cookies.length > 0) event.cookies = cookies;
  if (queryStringParameters) event.queryStringParameters = queryStringParameters;
  if (match.pathParameters) event.pathParameters = match.pathParameters;
  if (body.length > 0) event.body = text ? body.toString('utf8') : body.toString('base64');
  return event;
}

function parseQuery(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const out: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    // API Gateway joins repeated parameters with commas.
    out[name] = out[name] === undefined ? value : `${out[name]},${value}`;
  }
  return out;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's request time format, e.g. `12/Mar/2020:19:03:58 +0000`. */
function apiGatewayTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

/** Writes a handler's result as API Gateway would (payload format 2.0 response rules). */
function writeResult(
  response: ServerResponse,
  result: APIGatewayProxyResultV2,
  settings: Settings,
  corsHeaders: Record<string, string>,
): void {
  // A result without statusCode is taken as a JSON body with status 200.
  if (
    typeof result === 'string' ||
    typeof result !== 'object' ||
    result === null ||
    !('statusCode' in result)
  ) {
    const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      ...corsHeaders,
    });
    response.end(body);
    return;
  }
  const statusCode = Number(result.statusCode);
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    settings.log.error('handler returned a malformed result', result);
    writeJson(response, 500, { message: 'Internal Server Error' }, corsHeaders);
    return;
  }
  const body =
    result.body === undefined
      ? Buffer.alloc(0)
      : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {}))
    headers[name.toLowerCase()] = String(value);
  if (result.cookies && result.cookies.length > 0) headers['set-cookie'] = result.cookies;
  headers['content-length'] = String(body.length);
  if (body.length > 0) headers['content-type'] ??= 'application/json';
  Object.assign(headers, corsHeaders);
  response.writeHead(statusCode, headers);
  response.end(body);
}

function writeJson(
  response: ServerResponse,
  statusCode: number,
  body: unknown,
  extraHeaders: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(statusCode, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...extraHeaders,
  });
  response.end(text);
}

class IntegrationTimeout extends Error {}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new IntegrationTimeout()), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
