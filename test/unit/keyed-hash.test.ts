import { createHash, createHmac } from 'node:crypto';
import { addressKeyerFromEnv, HmacAddressKeyer } from '../../functions/adapters/secrets/keyed-hash';
import { ConfigurationError } from '../../functions/config';

describe('Class: HmacAddressKeyer', () => {
  const phone = '+33612345678';

  it('gives an HMAC-SHA-256 of channel:address under the pepper, not a plain SHA-256', async () => {
    // Prepare
    const pepper = 'p'.repeat(64);
    const keyer = new HmacAddressKeyer(pepper);

    // Act
    const key = await keyer.key('sms', phone);

    // Assess
    expect(key).toBe(createHmac('sha256', pepper).update(`sms:${phone}`).digest('hex'));
    expect(key).not.toBe(createHash('sha256').update(`sms:${phone}`).digest('hex'));
    expect(key).not.toBe(createHash('sha256').update(phone).digest('hex'));
  });

  it('gives different keys under different peppers', async () => {
    // Prepare
    const one = new HmacAddressKeyer('1'.repeat(64));
    const two = new HmacAddressKeyer('2'.repeat(64));

    // Act
    const keys = await Promise.all([one.key('sms', phone), two.key('sms', phone)]);

    // Assess
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('refuses a pepper shorter than 32 characters', async () => {
    // Prepare
    const keyer = new HmacAddressKeyer('short');

    // Act
    const keying = keyer.key('sms', phone);

    // Assess
    await expect(keying).rejects.toBeInstanceOf(ConfigurationError);
  });

  it('resolves the pepper once and tries again after a failed read', async () => {
    // Prepare
    let reads = 0;
    const keyer = new HmacAddressKeyer(async () => {
      reads += 1;
      if (reads === 1) throw new Error('throttled');
      return 'q'.repeat(64);
    });

    // Act
    const first = keyer.key('sms', phone);
    await expect(first).rejects.toThrow('throttled');
    await keyer.key('sms', phone);
    await keyer.key('email', 'a@example.com');

    // Assess
    expect(reads).toBe(2);
  });
});

describe('Function: addressKeyerFromEnv', () => {
  it('reads legacy keys only when SWITCHBOARD_LEGACY_ADDRESS_HASH is read', () => {
    // Prepare
    const pepper = 'r'.repeat(64);

    // Act
    const migrating = addressKeyerFromEnv({
      SWITCHBOARD_ADDRESS_PEPPER: pepper,
      SWITCHBOARD_LEGACY_ADDRESS_HASH: 'read',
    });
    const plain = addressKeyerFromEnv({ SWITCHBOARD_ADDRESS_PEPPER: pepper });

    // Assess
    expect([migrating.readsLegacy, plain.readsLegacy]).toEqual([true, false]);
  });

  it('rejects an unknown legacy setting', () => {
    // Act
    const building = () => addressKeyerFromEnv({ SWITCHBOARD_LEGACY_ADDRESS_HASH: 'yes' });

    // Assess
    expect(building).toThrow(ConfigurationError);
  });

  it('fails on first use when no pepper is configured', async () => {
    // Prepare
    const keyer = addressKeyerFromEnv({});

    // Act
    const keying = keyer.key('sms', '+33612345678');

    // Assess
    await expect(keying).rejects.toBeInstanceOf(ConfigurationError);
  });
});
