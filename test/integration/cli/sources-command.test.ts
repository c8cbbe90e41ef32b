/**
 * `switchboard sources` against the local runtime: a created key opens the public ingest, is
 * listed without its hash or secret, and once revoked is refused with a 401.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalRuntime } from '../../../local/runtime';
import { runCli } from '../../helpers/cli';
import { startTestRuntime } from '../../helpers/local-runtime';
import { basicAuth } from '../../helpers/sources';
import { anAnonymousId, aTrackEvent } from '../../helpers/touchpoints';

jest.setTimeout(60_000);

describe('Function: switchboard sources', () => {
  let runtime: LocalRuntime;
  let dir: string;
  const cli = (...args: string[]) => runCli([...args, '--dir', dir]);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-sources-'));
    runtime = await startTestRuntime({ handlers: ['public-ingest'], rootDir: dir });
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  const postWith = (writeKey: string) =>
    fetch(new URL('/ingest/v1/events', runtime.localJson.httpUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basicAuth(writeKey) },
      body: JSON.stringify(aTrackEvent({ anonymousId: anAnonymousId() })),
    });

  it('creates a key that works, lists it without secrets, and revokes it', async () => {
    // Prepare
    const created = await cli('sources', 'create', '--name', 'Web shop', '--kind', 'client');
    const writeKey = /^write key (\S+)$/m.exec(created.out)?.[1] ?? '';
    const sourceId = writeKey.split('.')[0] ?? '';

    // Act
    const before = await postWith(writeKey);
    const listed = await cli('sources', 'list', '--json');
    const revoked = await cli('sources', 'revoke', sourceId);
    const after = await postWith(writeKey);
    const listedAfter = await cli('sources', 'list');

    // Assess
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/^userHash secret [0-9a-f]{64}$/m);
    expect(before.status).toBe(202);
    expect(JSON.parse(listed.out)).toEqual([
      { sourceId, name: 'Web shop', kind: 'client', createdAt: expect.any(String) },
    ]);
    expect(listed.out).not.toContain(writeKey.split('.')[1]);
    expect(revoked.code).toBe(0);
    expect(after.status).toBe(401);
    expect(listedAfter.out).toMatch(new RegExp(`^${sourceId}  client .* revoked `));
  });

  it('refuses an unknown kind, and exits 1 revoking a source that does not exist', async () => {
    // Act
    const badKind = await cli('sources', 'create', '--name', 'x', '--kind', 'public');
    const missing = await cli('sources', 'revoke', 'src_00000000000000000000000000000000');

    // Assess
    expect(badKind.code).toBe(1);
    expect(badKind.err).toContain('--kind must be one of client, server');
    expect(missing.code).toBe(1);
    expect(missing.err).toBe('no source src_00000000000000000000000000000000');
  });
});
