/**
 * The console as browser tests open it: the local runtime on a test's own tables and queues of the
 * shared emulators (every handler unless said, sandbox providers with quick callbacks, short
 * polls, quiet), a headless Chromium page that records the page's errors, and the API by fetch.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { TouchpointChannel } from '../../functions/contract';
import type { LocalResources } from '../../local/emulators';
import type { HandlerRegistration } from '../../local/handler-registry';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime';
import { launchBrowser } from './browser';
import { isolatedResources, testEndpoints } from './emulators';
import { aTrackEvent } from './touchpoints';

/** What {@link openConsole} starts differently from the defaults. */
export interface ConsoleOptions {
  /** The tables and queues (fresh ones unless given). */
  readonly resources?: LocalResources;
  /** Where handler modules are looked for (functions/handlers unless given). */
  readonly handlersDir?: string;
  /** The handlers that run (every one unless given). */
  readonly registry?: readonly HandlerRegistration[];
  /** Journey seconds per real second (real time unless given). */
  readonly timeScale?: number;
  /** The page's size (the browser's default unless given). */
  readonly viewport?: { readonly width: number; readonly height: number };
}

/** A running console: its runtime, a page, the errors the page threw, and the API. */
export interface ConsoleUnderTest {
  readonly runtime: LocalRuntime;
  readonly page: Page;
  /** Uncaught errors of the page's scripts, in order: a test expects none. */
  readonly pageErrors: string[];
  /** A request to the runtime's HTTP API, its body sent as JSON. */
  api(method: string, path: string, body?: unknown): Promise<Response>;
  /** A customer's `track` event, happening now, posted to `/v1/events`. */
  track(
    customerId: string,
    event: string,
    properties: Record<string, unknown>,
    channel: TouchpointChannel,
  ): Promise<Response>;
  /** Closes the browser and stops the runtime. */
  close(): Promise<void>;
}

/** Starts the runtime and a browser page (not yet on the console); close it in afterAll. */
export async function openConsole(options: ConsoleOptions = {}): Promise<ConsoleUnderTest> {
  const runtime = await startLocalRuntime({
    rootDir: mkdtempSync(join(tmpdir(), 'switchboard-e2e-')),
    emulators: { ...testEndpoints(), ...(options.resources ?? (await isolatedResources())) },
    handlersDir: options.handlersDir ?? join(__dirname, '..', '..', 'functions', 'handlers'),
    ...(options.registry ? { registry: options.registry } : {}),
    realChannels: new Set(),
    waitTimeSeconds: 1,
    sandbox: { firstCallbackMs: 20, callbackStepMs: 50 },
    ...(options.timeScale === undefined ? {} : { timeScale: options.timeScale }),
    log: () => {},
  });
  let browser: BrowserContext | undefined;
  try {
    browser = await launchBrowser();
    const page = await browser.newPage();
    if (options.viewport) await page.setViewportSize(options.viewport);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    const opened = browser;
    const api = (method: string, path: string, body?: unknown) =>
      fetch(`${runtime.localJson.httpUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    return {
      runtime,
      page,
      pageErrors,
      api,
      track: (customerId, event, properties, channel) =>
        api(
          'POST',
          '/v1/events',
          aTrackEvent({
            event,
            userId: customerId,
            timestamp: new Date().toISOString(),
            context: { channel },
            properties,
          }),
        ),
      close: async () => {
        await opened.close();
        await runtime.stop();
      },
    };
  } catch (error) {
    await browser?.close();
    await runtime.stop();
    throw error;
  }
}
