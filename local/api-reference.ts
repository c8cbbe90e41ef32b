/**
 * The HTTP API's description on the local server: `GET /openapi.json` (schemas/openapi.json, as
 * committed) and a readable reference page at `/docs/api`, rendered in the browser by Swagger UI
 * from the swagger-ui-dist package (served from node_modules, so it works offline; no CDN).
 * Local-only (never on AWS).
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { LocalListener } from './http-server';
import { sendStatic } from './static-response';

/** Where the document is served. */
export const OPENAPI_PATH = '/openapi.json';
/** Where the reference page is served. */
export const API_REFERENCE_PATH = '/docs/api';

const DOCUMENT_FILE = join(__dirname, '..', 'schemas', 'openapi.json');
const PAGE_DIR = join(__dirname, 'console');
/** The files the page loads, and where each lives. */
const ASSETS: Record<string, { readonly file: () => string; readonly type: string }> = {
  [API_REFERENCE_PATH]: {
    file: () => join(PAGE_DIR, 'api-reference.html'),
    type: 'text/html; charset=utf-8',
  },
  [`${API_REFERENCE_PATH}/api-reference.js`]: {
    file: () => join(PAGE_DIR, 'api-reference.js'),
    type: 'text/javascript; charset=utf-8',
  },
  [`${API_REFERENCE_PATH}/swagger-ui-bundle.js`]: {
    file: () => join(swaggerUiDir(), 'swagger-ui-bundle.js'),
    type: 'text/javascript; charset=utf-8',
  },
  [`${API_REFERENCE_PATH}/swagger-ui.css`]: {
    file: () => join(swaggerUiDir(), 'swagger-ui.css'),
    type: 'text/css; charset=utf-8',
  },
  [OPENAPI_PATH]: { file: () => DOCUMENT_FILE, type: 'application/json' },
};
// Swagger UI styles inline and draws its icons as data: URLs; everything else comes from here.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** Serves the OpenAPI document and its reference page; passes every other request on. */
export const apiReferenceListener: LocalListener = (request, response, url) => {
  const path = url.pathname === `${API_REFERENCE_PATH}/` ? API_REFERENCE_PATH : url.pathname;
  const asset = ASSETS[path];
  if (!asset) return false;
  return send(request, response, asset.type, readFileSync(asset.file()));
};

function swaggerUiDir(): string {
  // The package's own answer to "where are my files", so a hoisted or nested install both work.
  return (require('swagger-ui-dist') as { getAbsoluteFSPath(): string }).getAbsoluteFSPath();
}

function send(request: IncomingMessage, response: ServerResponse, type: string, body: Buffer): true {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' });
    response.end(JSON.stringify({ message: 'Method Not Allowed' }));
    return true;
  }
  return sendStatic(request, response, { type, body, contentSecurityPolicy: CSP });
}
