/**
 * Local push services for tests, on 127.0.0.1 and free ports:
 * - a Web Push receiver over HTTPS that checks the VAPID JWT (RFC 8292) and decrypts the
 *   aes128gcm payload (RFC 8291) with a browser-side key pair it made itself;
 * - an FCM HTTP v1 endpoint and an OAuth token endpoint that check the service account's signed
 *   assertion, the bearer token and the message JSON.
 */

import {
  createDecipheriv,
  createECDH,
  createHmac,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  verify,
} from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent, createServer as createHttpsServer } from 'node:https';
import { listenOnLoopback } from './loopback';
import { selfSignedCertificate } from './self-signed-cert';

const b64url = (buffer: Buffer) => buffer.toString('base64url');

/** Reads a request body. */
async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Splits and checks a compact JWS; returns header and claims, or throws saying what is wrong. */
function verifyJwt(
  jwt: string,
  key: KeyObject,
  algorithm: 'ES256' | 'RS256',
): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const [header, payload, signature] = jwt.split('.');
  if (!header || !payload || !signature) throw new Error('not a compact JWS');
  const parsedHeader = JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>;
  if (parsedHeader.alg !== algorithm) throw new Error(`alg ${String(parsedHeader.alg)} is not ${algorithm}`);
  const ok = verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    algorithm === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key,
    Buffer.from(signature, 'base64url'),
  );
  if (!ok) throw new Error('bad signature');
  return { header: parsedHeader, claims: JSON.parse(Buffer.from(payload, 'base64url').toString()) };
}

/** A P-256 public key from its uncompressed point (65 bytes). */
function p256PublicKey(point: Buffer): KeyObject {
  return createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: b64url(point.subarray(1, 33)), y: b64url(point.subarray(33, 65)) },
    format: 'jwk',
  });
}

const hmac = (key: Buffer, ...data: Buffer[]) =>
  createHmac('sha256', key).update(Buffer.concat(data)).digest();

/** Decrypts an aes128gcm body (RFC 8188 framing, RFC 8291 keys) as the browser would. */
export function decryptAes128gcm(
  body: Buffer,
  uaEcdh: ReturnType<typeof createECDH>,
  authSecret: Buffer,
): string {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20] ?? 0;
  const asPublic = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  if (ciphertext.length > recordSize) throw new Error('more than one record');
  const ecdhSecret = uaEcdh.computeSecret(asPublic);
  const uaPublic = uaEcdh.getPublicKey();
  const prkKey = hmac(authSecret, ecdhSecret);
  const ikm = hmac(prkKey, Buffer.from('WebPush: info\0'), uaPublic, asPublic, Buffer.from([1]));
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0'), Buffer.from([1])).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0'), Buffer.from([1])).subarray(0, 12);
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([
    decipher.update(ciphertext.subarray(0, ciphertext.length - 16)),
    decipher.final(),
  ]);
  // The last record ends with a 0x02 delimiter, then zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (padded[end] !== 2) throw new Error('missing last-record delimiter');
  return padded.subarray(0, end).toString('utf8');
}

/** A notification the Web Push receiver accepted, decrypted. */
export interface ReceivedPush {
  readonly path: string;
  readonly payload: string;
  readonly ttl: string | undefined;
  readonly urgency: string | undefined;
  readonly vapidClaims: Record<string, unknown>;
}

/** A browser-side subscription and the receiver it points at. */
export interface WebPushReceiver {
  readonly origin: string;
  /** Trusts the receiver's self-signed certificate. */
  readonly agent: Agent;
  readonly received: ReceivedPush[];
  /** Requests refused, with why (bad VAPID, undecryptable payload). */
  readonly refused: string[];
  /** A subscription at a path; answers with `status` (201 accepts, 410 is gone). */
  subscription(path: string, status?: number): { endpoint: string; keys: { p256dh: string; auth: string } };
  stop(): Promise<void>;
}

/** Starts a Web Push receiver that expects the given VAPID public key and subject. */
export async function startWebPushReceiver(vapid: {
  publicKey: string;
  subject: string;
}): Promise<WebPushReceiver> {
  const { cert, key } = selfSignedCertificate();
  const received: ReceivedPush[] = [];
  const refused: string[] = [];
  const subscriptions = new Map<
    string,
    { ecdh: ReturnType<typeof createECDH>; auth: Buffer; status: number }
  >();
  let origin = '';
  let counter = 0;
  const server = createHttpsServer({ cert, key }, async (req, res) => {
    const body = await readBody(req);
    const path = req.url ?? '';
    const subscription = subscriptions.get(path);
    const refuse = (status: number, why: string) => {
      refused.push(why);
      res.writeHead(status).end(why);
    };
    if (!subscription) return refuse(404, `no subscription at ${path}`);
    if (subscription.status !== 201) {
      res.writeHead(subscription.status).end();
      return;
    }
    try {
      const match = /^vapid t=([^,]+),\s*k=(.+)$/.exec(req.headers.authorization ?? '');
      if (!match?.[1] || !match[2]) return refuse(401, 'no vapid authorization');
      if (match[2] !== vapid.publicKey) return refuse(403, 'unexpected VAPID public key');
      const { claims } = verifyJwt(match[1], p256PublicKey(Buffer.from(match[2], 'base64url')), 'ES256');
      if (claims.aud !== origin) return refuse(403, `aud ${String(claims.aud)} is not ${origin}`);
      if (claims.sub !== vapid.subject)
        return refuse(403, `sub ${String(claims.sub)} is not ${vapid.subject}`);
      const exp = Number(claims.exp);
      const nowSeconds = Date.now() / 1000;
      if (!(exp > nowSeconds && exp <= nowSeconds + 86_400)) return refuse(403, 'exp not within 24 hours');
      if (req.headers['content-encoding'] !== 'aes128gcm') return refuse(415, 'not aes128gcm');
      const payload = decryptAes128gcm(body, subscription.ecdh, subscription.auth);
      counter += 1;
      received.push({
        path,
        payload,
        ttl: req.headers.ttl as string | undefined,
        urgency: req.headers.urgency as string | undefined,
        vapidClaims: claims,
      });
      res.writeHead(201, { location: `${origin}/messages/${counter}` }).end();
    } catch (error) {
      refuse(400, `refused: ${(error as Error).message}`);
    }
  });
  const listening = await listenOnLoopback(server, 'https');
  origin = listening.url;
  const agent = new Agent({ ca: cert, keepAlive: false });
  return {
    origin,
    agent,
    received,
    refused,
    subscription(path, status = 201) {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      subscriptions.set(path, { ecdh, auth, status });
      return {
        endpoint: `${origin}${path}`,
        keys: { p256dh: b64url(ecdh.getPublicKey()), auth: b64url(auth) },
      };
    },
    stop: async () => {
      agent.destroy();
      await listening.stop();
    },
  };
}

/** A message the FCM endpoint accepted. */
export interface ReceivedFcmMessage {
  readonly project: string;
  readonly message: Record<string, unknown>;
}

/** The local FCM v1 API and OAuth token endpoint. */
export interface FcmServer {
  readonly apiBaseUrl: string;
  readonly tokenUrl: string;
  readonly serviceAccount: { project_id: string; client_email: string; private_key: string };
  readonly received: ReceivedFcmMessage[];
  readonly refused: string[];
  /** How many tokens the token endpoint issued. */
  readonly tokensIssued: () => number;
  /** Makes the API answer a device token with an FCM error. */
  answer(token: string, status: number, body: unknown): void;
  stop(): Promise<void>;
}

/** Google's token URL: the audience a service-account assertion must name. */
const GOOGLE_TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token';

/** Starts the local FCM endpoints with a freshly made service account. */
export async function startFcmServer(projectId = 'switchboard-test'): Promise<FcmServer> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const clientEmail = `switchboard@${projectId}.iam.gserviceaccount.com`;
  const issued = new Set<string>();
  const answers = new Map<string, { status: number; body: unknown }>();
  const received: ReceivedFcmMessage[] = [];
  const refused: string[] = [];
  let counter = 0;
  const json = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const refuse = (res: ServerResponse, status: number, why: string) => {
    refused.push(why);
    json(res, status, { error: { code: status, message: why, status: 'REFUSED_BY_TEST_SERVER' } });
  };
  const server = createHttpServer(async (req, res) => {
    const body = (await readBody(req)).toString('utf8');
    try {
      if (req.method === 'POST' && req.url === '/token') {
        const form = new URLSearchParams(body);
        if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
          return refuse(res, 400, 'wrong grant_type');
        }
        const { claims } = verifyJwt(form.get('assertion') ?? '', publicKey, 'RS256');
        if (claims.iss !== clientEmail) return refuse(res, 400, 'assertion iss is not the service account');
        if (claims.aud !== GOOGLE_TOKEN_AUDIENCE)
          return refuse(res, 400, `assertion aud ${String(claims.aud)}`);
        if (!String(claims.scope).split(' ').includes('https://www.googleapis.com/auth/firebase.messaging')) {
          return refuse(res, 400, 'assertion lacks the firebase.messaging scope');
        }
        const token = `ya29.test-${randomBytes(12).toString('hex')}`;
        issued.add(token);
        return json(res, 200, { access_token: token, expires_in: 3600, token_type: 'Bearer' });
      }
      const route = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(req.url ?? '');
      if (req.method === 'POST' && route?.[1]) {
        const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        if (!bearer || !issued.has(bearer))
          return refuse(res, 401, 'bearer token not issued by the token endpoint');
        if (route[1] !== projectId) return refuse(res, 403, `project ${route[1]}`);
        const parsed = JSON.parse(body) as { message?: Record<string, unknown> };
        const message = parsed.message;
        if (!message || typeof message.token !== 'string') return refuse(res, 400, 'message.token missing');
        const data = (message.data ?? {}) as Record<string, unknown>;
        if (Object.values(data).some((value) => typeof value !== 'string')) {
          return refuse(res, 400, 'message.data values must be strings');
        }
        const canned = answers.get(message.token);
        if (canned) return json(res, canned.status, canned.body);
        received.push({ project: route[1], message });
        counter += 1;
        return json(res, 200, { name: `projects/${projectId}/messages/${counter}` });
      }
      return refuse(res, 404, `no route ${req.method} ${req.url}`);
    } catch (error) {
      return refuse(res, 400, `refused: ${(error as Error).message}`);
    }
  });
  const { url: base, stop } = await listenOnLoopback(server);
  return {
    apiBaseUrl: base,
    tokenUrl: `${base}/token`,
    serviceAccount: {
      project_id: projectId,
      client_email: clientEmail,
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    },
    received,
    refused,
    tokensIssued: () => issued.size,
    answer: (token, status, answerBody) => {
      answers.set(token, { status, body: answerBody });
    },
    stop,
  };
}
