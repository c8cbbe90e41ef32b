import type { Channel, Customer } from '../../../../functions/contract';
import { seededRandom } from '../../../../functions/domain/channel-choice';
import { DEFAULT_ROUTING } from '../../../../functions/domain/plan-route';
import { routeBatch } from '../../../../functions/domain/routing';
import { counts, population } from '../../../helpers/channel-choice';
import { aCustomer, aRequest, consent } from '../../../helpers/factories';
import {
  anOutboundRecord,
  InMemoryPopulationRates,
  inMemoryRouterPorts,
} from '../../../helpers/in-memory-routing-ports';

const NOW = new Date('2026-12-01T12:00:00Z');
const CHANNELS: readonly Channel[] = ['sms', 'whatsapp', 'email', 'push'];

/** Léa: says email first, has no app (no push), opted in to marketing everywhere unless told otherwise. */
function lea(optedOut: readonly Channel[] = []): Customer {
  return aCustomer({
    addresses: { sms: '+33612345678', whatsapp: '+33612345678', email: 'lea@example.com' },
    preferences: { channels: ['email', 'whatsapp', 'sms', 'push'] },
    consent: {
      marketing: Object.fromEntries(
        CHANNELS.map((channel) => [channel, consent(optedOut.includes(channel) ? 'opted_out' : 'opted_in')]),
      ),
    },
  });
}

/** Router ports where Léa reads her WhatsApp and ignores her email; exploration as given. */
function portsFor(customer: Customer, options: { exploration?: number; seed?: number } = {}) {
  const ports = inMemoryRouterPorts([customer], NOW);
  ports.customers.engagement.set(customer.customerId, {
    whatsapp: counts(14, 12, 0, NOW.getTime()),
    email: counts(22, 2, 0, NOW.getTime()),
    sms: counts(10, 9, 0, NOW.getTime()),
  });
  const rates = new InMemoryPopulationRates(population({ email: 0.2, sms: 0.2, whatsapp: 0.2, push: 0.2 }));
  return {
    ...ports,
    population: rates,
    random: seededRandom(options.seed ?? 3),
    channelChoice: { maxExplorationShare: options.exploration ?? 0.1 },
  };
}

describe('Function: routeBatch (strategy learned)', () => {
  it('sends a learned request on the channel the customer engages with and records why, with its propensity', async () => {
    // Prepare
    const customer = lea(['sms']);
    const ports = portsFor(customer, { exploration: 0 });
    const request = aRequest(customer.customerId, {
      category: 'marketing',
      routing: { strategy: 'learned' },
    });

    // Act
    const [result] = await routeBatch([anOutboundRecord(request)], ports);

    // Assess
    expect(result).toMatchObject({ outcome: 'routed', channels: ['whatsapp'] });
    const message = ports.ledger.message(customer.customerId, result?.messageId ?? '');
    expect(message.choice).toEqual({
      strategy: 'learned',
      channel: 'whatsapp',
      propensity: 1,
      explored: false,
      explanation: expect.stringMatching(
        /^whatsapp: 0\.\d\d engaged.* over 14 sends vs email .* over 22; cost 0\.025 vs 0\.0004$/,
      ),
    });
    expect(message.fallbackChannels).toEqual(['email']);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'never routes to a channel the customer opted out of, however well it did (seed %i)',
    async (seed) => {
      // Prepare: SMS has the best record of all, but Léa opted out of marketing texts.
      const customer = lea(['sms']);
      const ports = portsFor(customer, { exploration: 1, seed });
      const request = aRequest(customer.customerId, {
        category: 'marketing',
        routing: { strategy: 'learned' },
      });

      // Act
      const [result] = await routeBatch([anOutboundRecord(request)], ports);

      // Assess
      const message = ports.ledger.message(customer.customerId, result?.messageId ?? '');
      expect(result?.channels).not.toContain('sms');
      expect([...(result?.channels ?? []), ...message.fallbackChannels]).not.toContain('sms');
      expect(message.skipped.sms).toMatch(/opted out/);
    },
  );

  it.each([1, 2, 3, 4, 5, 6])(
    'never explores for a transactional message: the best channel, with propensity 1 (seed %i)',
    async (seed) => {
      // Prepare
      const customer = lea();
      const ports = portsFor(customer, { exploration: 1, seed });
      const request = aRequest(customer.customerId, { routing: { strategy: 'learned' } });

      // Act
      const [result] = await routeBatch([anOutboundRecord(request)], ports);

      // Assess
      const message = ports.ledger.message(customer.customerId, result?.messageId ?? '');
      expect(message.choice).toMatchObject({ propensity: 1, explored: false });
      expect(result?.channels).toEqual([message.choice?.channel]);
    },
  );

  it('explores a marketing message at most the configured share, and records the propensity it chose with', async () => {
    // Prepare
    const customer = lea(['sms']);
    const chosen: { channel: Channel; propensity: number; explored: boolean }[] = [];

    // Act
    for (let seed = 1; seed <= 40; seed++) {
      const ports = portsFor(customer, { exploration: 0.2, seed });
      const request = aRequest(customer.customerId, {
        category: 'marketing',
        routing: { strategy: 'learned' },
      });
      const [result] = await routeBatch([anOutboundRecord(request)], ports);
      const choice = ports.ledger.message(customer.customerId, result?.messageId ?? '').choice;
      if (choice) chosen.push(choice);
    }

    // Assess
    expect(chosen).toHaveLength(40);
    for (const choice of chosen) {
      if (choice.explored) expect(choice.propensity).toBeLessThanOrEqual(0.2);
      else expect(choice.propensity).toBeGreaterThanOrEqual(0.8);
    }
    expect(chosen.filter((choice) => choice.channel === 'whatsapp').length).toBeGreaterThanOrEqual(28);
  });

  it('routes by the category default strategy when the request names none', async () => {
    // Prepare
    const customer = lea(['sms']);
    const ports = {
      ...portsFor(customer, { exploration: 0 }),
      defaults: { ...DEFAULT_ROUTING, strategies: { marketing: 'learned' as const } },
    };
    const marketing = aRequest(customer.customerId, { category: 'marketing' });
    const transactional = aRequest(customer.customerId);

    // Act
    const results = await routeBatch([anOutboundRecord(marketing), anOutboundRecord(transactional)], ports);

    // Assess
    expect(results.map((result) => result.channels)).toEqual([['whatsapp'], ['email']]);
    const [learned, preferred] = results.map((result) =>
      ports.ledger.message(customer.customerId, result.messageId ?? ''),
    );
    expect(learned?.choice?.channel).toBe('whatsapp');
    expect(preferred?.choice).toBeUndefined();
  });

  it('keeps the stated preference for a request that asks for it, whatever the default', async () => {
    // Prepare
    const customer = lea(['sms']);
    const ports = {
      ...portsFor(customer, { exploration: 0 }),
      defaults: { ...DEFAULT_ROUTING, strategies: { marketing: 'learned' as const } },
    };
    const request = aRequest(customer.customerId, {
      category: 'marketing',
      routing: { strategy: 'preferred' },
    });

    // Act
    const [result] = await routeBatch([anOutboundRecord(request)], ports);

    // Assess
    expect(result?.channels).toEqual(['email']);
  });

  it('reads the population rates once per batch, and not at all for a batch without learned requests', async () => {
    // Prepare
    const customer = lea(['sms']);
    const ports = portsFor(customer);
    const learned = [1, 2, 3].map(() =>
      anOutboundRecord(
        aRequest(customer.customerId, { category: 'marketing', routing: { strategy: 'learned' } }),
      ),
    );

    // Act
    await routeBatch(learned, ports);
    await routeBatch([anOutboundRecord(aRequest(customer.customerId))], ports);

    // Assess
    expect(ports.population.reads).toEqual([['marketing']]);
  });

  it('ranks a fallback by expected worth without recording a new choice', async () => {
    // Prepare
    const customer = lea(['sms']);
    const ports = portsFor(customer, { exploration: 0 });
    const request = aRequest(customer.customerId, {
      category: 'marketing',
      routing: { strategy: 'learned' },
    });
    const [first] = await routeBatch([anOutboundRecord(request)], ports);
    const messageId = first?.messageId ?? '';
    const fallback = {
      kind: 'fallback',
      schemaVersion: 1,
      messageId,
      customerId: customer.customerId,
      triedChannels: ['whatsapp'],
      reason: 'whatsapp: failure receipt 63016',
      requestedAt: NOW.toISOString(),
    };

    // Act
    const [second] = await routeBatch([anOutboundRecord(fallback)], ports);

    // Assess
    expect(second).toMatchObject({ outcome: 'routed', channels: ['email'] });
    const message = ports.ledger.message(customer.customerId, messageId);
    expect(message.choice?.channel).toBe('whatsapp');
    expect(message.fallbackChannels).toEqual([]);
  });

  it('starts a customer with no history from her stated preference', async () => {
    // Prepare
    const customer = lea(['sms']);
    const ports = portsFor(customer, { exploration: 0 });
    ports.customers.engagement.clear();
    const request = aRequest(customer.customerId, {
      category: 'marketing',
      routing: { strategy: 'learned' },
    });

    // Act
    const [result] = await routeBatch([anOutboundRecord(request)], ports);

    // Assess: equal population rates, so her ranking and the costs decide — email is first and cheapest.
    expect(result?.channels).toEqual(['email']);
    const message = ports.ledger.message(customer.customerId, result?.messageId ?? '');
    expect(message.choice?.explanation).toMatch(/^email: .* over 0 sends vs /);
  });
});
