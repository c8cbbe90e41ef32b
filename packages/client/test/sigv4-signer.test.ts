import { createHash } from 'node:crypto';
import { sigV4Signer } from '../src';

describe('Function: sigV4Signer', () => {
  it('signs an API request for execute-api with the body hash and the credential scope', async () => {
    // Prepare
    const sign = sigV4Signer({
      region: 'eu-west-1',
      credentials: {
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      },
    });
    const body = '{"category":"marketing"}';
    const url = new URL('https://abc.execute-api.eu-west-1.amazonaws.com/v1/customers/c-1/consent?x=1');

    // Act
    const headers = await sign({
      method: 'PUT',
      url,
      headers: { host: url.host, 'content-type': 'application/json' },
      body,
    });

    // Assess
    const day = headers['x-amz-date']?.slice(0, 8);
    expect(headers.authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/${day}/eu-west-1/execute-api/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$`,
      ),
    );
    expect(headers['x-amz-content-sha256']).toBe(createHash('sha256').update(body).digest('hex'));
  });
});
