/**
 * The local console serves the HTTP API's OpenAPI document and a reference page that renders it
 * offline: every script and stylesheet the page loads comes from this server.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ConsoleServer, startConsole } from '../../../local/console-server';
import { type LocalHttpServer, startHttpServer } from '../../../local/http-server';
import { SandboxOutbox } from '../../../local/sandbox/outbox';
import { isolatedResources, testClients } from '../../helpers/emulators';

const committed = JSON.parse(
  readFileSync(join(__dirname, '..', '..', '..', 'schemas', 'openapi.json'), 'utf8'),
);

/** The `src` and `href` values of a page's script and stylesheet tags. */
function assetsOf(html: string): string[] {
  return [...html.matchAll(/<(?:script|link rel="stylesheet")[^>]*?(?:src|href)="([^"]+)"/g)].map(
    (match) => match[1]!,
  );
}

describe('Function: the console serves the HTTP API reference', () => {
  const clients = testClients();
  let http: LocalHttpServer;
  let console: ConsoleServer;

  beforeAll(async () => {
    const resources = await isolatedResources();
    http = await startHttpServer();
    console = startConsole({
      http,
      sqs: clients.sqs,
      outbox: new SandboxOutbox(),
      queues: resources.queues,
      handlers: { loaded: [] },
    });
  });
  afterAll(async () => {
    console.stop();
    await http.stop();
    clients.destroy();
  });

  it('serves the committed OpenAPI document at /openapi.json', async () => {
    // Act
    const response = await fetch(`${http.url}/openapi.json`);

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual(committed);
  });

  it('serves a reference page whose scripts and styles all come from this server', async () => {
    // Act
    const page = await fetch(`${http.url}/docs/api`);
    const html = await page.text();
    const assets = assetsOf(html);
    const loaded = await Promise.all(
      assets.map(async (asset) => {
        const response = await fetch(new URL(asset, `${http.url}/docs/api`));
        return {
          asset,
          status: response.status,
          type: response.headers.get('content-type'),
          bytes: (await response.arrayBuffer()).byteLength,
        };
      }),
    );

    // Assess
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(assets).toEqual([
      '/docs/api/swagger-ui.css',
      '/docs/api/swagger-ui-bundle.js',
      '/docs/api/api-reference.js',
    ]);
    for (const { asset, status, type, bytes } of loaded) {
      expect({ asset, status }).toEqual({ asset, status: 200 });
      expect(type).toMatch(asset.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      expect(bytes).toBeGreaterThan(100);
    }
  });

  it('links the reference page from the console', async () => {
    const html = await (await fetch(`${http.url}/console/`)).text();
    expect(html).toContain('href="/docs/api"');
  });

  it('refuses to change the document', async () => {
    const response = await fetch(`${http.url}/openapi.json`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(405);
  });
});
