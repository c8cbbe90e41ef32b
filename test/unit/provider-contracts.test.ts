import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTRACTS_DIR_ENV, contractPath, contractsDir, ProviderContract } from '../helpers/prism';

describe('Function: contractPath', () => {
  let empty: string;

  beforeAll(() => {
    empty = mkdtempSync(join(tmpdir(), 'no-contracts-'));
  });

  afterAll(() => {
    rmSync(empty, { recursive: true, force: true });
  });

  it.each([
    [
      ProviderContract.TWILIO,
      /twilio_api_v2010\.json.*twilio\/twilio-oai.*spec\/json\/twilio_api_v2010\.json/,
    ],
    [ProviderContract.SENDGRID, /tsg_mail_v3\.json.*twilio\/sendgrid-oai.*spec\/json\/tsg_mail_v3\.json/],
  ])('fails saying where to get %o when the file is absent', (contract, message) => {
    // Act
    const resolve = () => contractPath(contract, { [CONTRACTS_DIR_ENV]: empty });

    // Assess
    expect(resolve).toThrow(message);
    expect(resolve).toThrow(new RegExp(CONTRACTS_DIR_ENV));
  });

  it('falls back to ../shared/contracts beside the repository when the setting is absent', () => {
    expect(contractsDir({})).toBe(join(__dirname, '..', '..', '..', 'shared', 'contracts'));
  });
});
