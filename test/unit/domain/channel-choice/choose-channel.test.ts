import fc from 'fast-check';
import { CHANNELS, type Channel } from '../../../../functions/contract';
import {
  applyEngagementEvent,
  type CustomerEngagement,
  capExploration,
  chooseChannel,
  explainChoice,
  seededRandom,
} from '../../../../functions/domain/channel-choice';
import { planRoute } from '../../../../functions/domain/plan-route';
import { aChoiceInput, counts, NOW_MS, population } from '../../../helpers/channel-choice';
import { aCustomer, aRequest, consent } from '../../../helpers/factories';

const DAY_MS = 86_400_000;

describe('Function: chooseChannel', () => {
  describe('the routing rules', () => {
    it('never picks a channel the customer opted out of, however well she reads it', () => {
      // Prepare: she reads every WhatsApp but opted out of marketing on it.
      const customer = aCustomer({
        consent: {
          marketing: { whatsapp: consent('opted_out'), email: consent('opted_in'), sms: consent('opted_in') },
        },
      });
      const plan = planRoute({
        request: aRequest(customer.customerId, { category: 'marketing' }),
        customer,
        now: new Date('2026-12-01T12:00:00Z'),
      });
      if (plan.kind !== 'route') throw new Error(`expected a route, got ${plan.kind}`);
      const allowed = [...plan.channels, ...plan.fallbackChannels];

      // Act
      const choices = Array.from({ length: 300 }, (_, seed) =>
        chooseChannel(
          aChoiceInput({
            allowed,
            preference: customer.preferences.channels,
            engagement: { whatsapp: counts(50, 50), email: counts(50, 1), sms: counts(50, 1) },
            random: seededRandom(seed),
            settings: { maxExplorationShare: 1 },
          }),
        ),
      );

      // Assess
      expect(allowed).not.toContain('whatsapp');
      for (const choice of choices) {
        expect(choice.ranked).not.toContain('whatsapp');
        expect([...choice.ranked].sort()).toEqual([...allowed].sort());
      }
    });

    it('returns nothing for a customer with no channel allowed', () => {
      const choice = chooseChannel(aChoiceInput({ allowed: [], engagement: { email: counts(10, 9) } }));
      expect(choice).toMatchObject({
        ranked: [],
        chosen: undefined,
        propensity: 0,
        explanation: 'no channel allowed',
      });
    });

    it('ranks exactly the channels it is given, for any history (quiet-hours and window rules stay with the plan)', () => {
      const channelSet = fc.uniqueArray(fc.constantFrom(...CHANNELS), { maxLength: 4 });
      const history = fc.dictionary(
        fc.constantFrom(...CHANNELS),
        fc.tuple(fc.nat(200), fc.double({ min: 0, max: 1, noNaN: true })),
      );
      fc.assert(
        fc.property(channelSet, channelSet, history, fc.integer(), (allowed, preference, raw, seed) => {
          // Prepare
          const engagement: CustomerEngagement = Object.fromEntries(
            Object.entries(raw).map(([channel, [sends, share]]) => [channel, counts(sends, sends * share)]),
          );

          // Act
          const choice = chooseChannel(
            aChoiceInput({
              allowed,
              preference,
              engagement,
              random: seededRandom(seed),
              settings: { propensitySamples: 20 },
            }),
          );

          // Assess
          expect([...choice.ranked].sort()).toEqual([...allowed].sort());
          expect(choice.chosen).toBe(allowed.length ? choice.ranked[0] : undefined);
        }),
        { numRuns: 200, seed: 19 },
      );
    });
  });

  describe('a channel with no data', () => {
    it('follows the customer’s ranking when the population rates the channels alike', () => {
      const choice = chooseChannel(
        aChoiceInput({
          preference: ['sms', 'email'],
          category: 'transactional',
          settings: { costs: { sms: 0, email: 0, whatsapp: 0, push: 0 } },
        }),
      );
      expect(choice.chosen).toBe('sms');
    });

    it('follows the population when the customer ranked nothing', () => {
      // Prepare
      const input = aChoiceInput({
        population: population({ email: 0.3, sms: 0.05 }, 'transactional'),
        category: 'transactional',
      });

      // Act
      const choice = chooseChannel(input);

      // Assess: the posterior is the prior, whose mean is the population's rate.
      expect(choice.chosen).toBe('email');
      expect(choice.evidence.map((item) => [item.channel, item.engagementRate])).toEqual([
        ['email', expect.closeTo(0.3)],
        ['sms', expect.closeTo(0.05)],
      ]);
    });

    it('weighs her first choice as one engaged message more than the population, lower ranks less', () => {
      // Act
      const choice = chooseChannel(
        aChoiceInput({
          preference: ['sms', 'email'],
          population: population({ email: 0.2, sms: 0.2 }, 'transactional'),
          category: 'transactional',
        }),
      );

      // Assess: prior strength 4 at 0.2 is Beta(0.8, 3.2); +1 for rank 1 of 2, +0.5 for rank 2 of 2.
      const rates = Object.fromEntries(choice.evidence.map((item) => [item.channel, item.engagementRate]));
      expect(rates).toEqual({ sms: expect.closeTo(1.8 / 5), email: expect.closeTo(1.3 / 4.5) });
    });
  });

  it('moves to a clearly better channel within 30 messages', () => {
    // Prepare: she ranks SMS first but clicks 5% of them and reads 40% of her emails; costs aside.
    const random = seededRandom(3);
    const truth: Record<string, number> = { sms: 0.05, email: 0.4 };
    const settings = { costs: { sms: 0, email: 0, whatsapp: 0, push: 0 }, conversionValue: 0 };
    let engagement: CustomerEngagement = {};
    const chosen: Channel[] = [];

    // Act: 30 weekly messages, each outcome drawn from her hidden rates.
    for (let message = 0; message < 30; message += 1) {
      const atMs = NOW_MS + message * 7 * DAY_MS;
      const choice = chooseChannel(
        aChoiceInput({
          allowed: ['sms', 'email'],
          preference: ['sms', 'email'],
          engagement,
          nowMs: atMs,
          random,
          settings,
        }),
      );
      const channel = choice.chosen!;
      chosen.push(channel);
      engagement = applyEngagementEvent(engagement, { channel, kind: 'sent', atMs });
      if (random() < (truth[channel] ?? 0))
        engagement = applyEngagementEvent(engagement, { channel, kind: 'clicked', atMs });
    }

    // Assess
    const before = chooseChannel(
      aChoiceInput({
        allowed: ['sms', 'email'],
        preference: ['sms', 'email'],
        random: seededRandom(1),
        settings,
      }),
    );
    expect(before.evidence.find((item) => item.channel === 'sms')?.probability).toBeGreaterThanOrEqual(0.9);
    const after = chooseChannel(
      aChoiceInput({
        allowed: ['sms', 'email'],
        preference: ['sms', 'email'],
        engagement,
        nowMs: NOW_MS + 30 * 7 * DAY_MS,
        random,
        settings,
      }),
    );
    const emailProbability = after.evidence.find((item) => item.channel === 'email')?.probability ?? 0;
    expect(emailProbability).toBeGreaterThanOrEqual(0.9);
    expect(chosen.slice(-10).filter((channel) => channel === 'email').length).toBeGreaterThanOrEqual(7);
  });

  it('lets cost decide between channels that engage alike, as configured', () => {
    // Prepare
    const base = aChoiceInput({
      allowed: ['whatsapp', 'email'],
      engagement: { whatsapp: counts(40, 22), email: counts(40, 20) },
      category: 'transactional',
      settings: { conversionValue: 0 },
    });

    // Act
    const atListPrices = chooseChannel(base);
    const withFreeWhatsApp = chooseChannel({
      ...base,
      settings: { conversionValue: 0, costs: { whatsapp: 0, email: 0.0004, sms: 0.0083, push: 0 } },
    });
    const withValuableEngagement = chooseChannel({
      ...base,
      settings: { conversionValue: 0, engagementValue: 1 },
    });

    // Assess: 0.05 × 0.05 more engagement does not pay 0.025 − 0.0004 more cost; at $1 an engagement it does.
    expect(atListPrices.chosen).toBe('email');
    expect(withFreeWhatsApp.chosen).toBe('whatsapp');
    expect(withValuableEngagement.chosen).toBe('whatsapp');
  });

  describe('exploration', () => {
    const uncertain = {
      allowed: ['email', 'sms', 'push'] as Channel[],
      engagement: { email: counts(3, 1), sms: counts(2, 1), push: counts(1, 0) },
      settings: { costs: { sms: 0, email: 0, whatsapp: 0, push: 0 } },
    };

    it('never explores for a transactional message', () => {
      const choices = Array.from({ length: 300 }, (_, seed) =>
        chooseChannel(aChoiceInput({ ...uncertain, category: 'transactional', random: seededRandom(seed) })),
      );
      expect(new Set(choices.map((choice) => choice.chosen)).size).toBe(1);
      expect(choices.every((choice) => choice.propensity === 1 && !choice.explored)).toBe(true);
    });

    it('explores a transactional message when asked to', () => {
      const choices = Array.from({ length: 300 }, (_, seed) =>
        chooseChannel(
          aChoiceInput({
            ...uncertain,
            category: 'transactional',
            random: seededRandom(seed),
            settings: { ...uncertain.settings, exploreTransactional: true },
          }),
        ),
      );
      expect(choices.some((choice) => choice.explored)).toBe(true);
    });

    it('sends at most the configured share of messages away from the greedy channel', () => {
      // Act
      const choices = Array.from({ length: 2000 }, (_, seed) =>
        chooseChannel(
          aChoiceInput({
            ...uncertain,
            random: seededRandom(seed),
            settings: { ...uncertain.settings, maxExplorationShare: 0.1, propensitySamples: 50 },
          }),
        ),
      );

      // Assess: 10% expected at most; 2,000 draws put the observed share under 12.5%.
      const explored = choices.filter((choice) => choice.explored).length / choices.length;
      expect(explored).toBeGreaterThan(0);
      expect(explored).toBeLessThan(0.125);
      for (const choice of choices) {
        const nonGreedy = choice.evidence.filter(
          (item) => item.worth < Math.max(...choice.evidence.map((e) => e.worth)),
        );
        expect(nonGreedy.reduce((sum, item) => sum + item.probability, 0)).toBeLessThanOrEqual(0.1 + 1e-9);
      }
    });

    it('records a propensity that matches how often the choice is made', () => {
      // Act
      const choices = Array.from({ length: 3000 }, (_, seed) =>
        chooseChannel(
          aChoiceInput({
            ...uncertain,
            random: seededRandom(seed),
            settings: { ...uncertain.settings, maxExplorationShare: 1, propensitySamples: 50 },
          }),
        ),
      );

      // Assess: per channel, observed frequency ≈ mean of the probability the policy gave it.
      for (const channel of uncertain.allowed) {
        const frequency = choices.filter((choice) => choice.chosen === channel).length / choices.length;
        const meanProbability =
          choices.reduce(
            (sum, choice) =>
              sum + (choice.evidence.find((item) => item.channel === channel)?.probability ?? 0),
            0,
          ) / choices.length;
        expect(Math.abs(frequency - meanProbability)).toBeLessThan(0.03);
      }
      for (const choice of choices) {
        expect(choice.propensity).toBe(choice.evidence[0]?.probability);
        expect(choice.evidence.reduce((sum, item) => sum + item.probability, 0)).toBeCloseTo(1, 9);
      }
    });
  });

  it('explains the choice with shares, sends and costs', () => {
    // Prepare: email 6 engaged of 10 on a Beta(0.8, 3.2) prior → 6.8 / 14; SMS stays at its prior 0.2.
    const input = aChoiceInput({
      engagement: { email: counts(10, 6) },
      category: 'transactional',
      settings: { conversionValue: 0 },
    });

    // Act
    const choice = chooseChannel(input);

    // Assess
    expect(choice.explanation).toBe(
      'email: 0.49 engaged over 10 sends vs sms 0.20 over 0; cost 0.0004 vs 0.0083',
    );
  });
});

describe('Function: explainChoice', () => {
  it('reads like the timeline line of the issue', () => {
    const line = explainChoice(
      [
        { channel: 'whatsapp', sends: 14, engagementRate: 0.62, conversionRate: 0.01, cost: 0.005 },
        { channel: 'email', sends: 22.4, engagementRate: 0.18, conversionRate: 0.002, cost: 0.0001 },
      ],
      { explored: false, propensity: 0.93, showConversions: false },
    );
    expect(line).toBe('whatsapp: 0.62 engaged over 14 sends vs email 0.18 over 22; cost 0.005 vs 0.0001');
  });

  it('says when the choice explored, with its probability', () => {
    const line = explainChoice(
      [
        { channel: 'sms', sends: 2, engagementRate: 0.3, conversionRate: 0.008, cost: 0.0083 },
        { channel: 'email', sends: 9, engagementRate: 0.35, conversionRate: 0.004, cost: 0.0004 },
      ],
      { explored: true, propensity: 0.064, showConversions: true },
    );
    expect(line).toBe(
      'sms: 0.30 engaged, 0.008 converted over 2 sends vs email 0.35, 0.004 converted over 9; cost 0.0083 vs 0.0004; exploring (p 0.06)',
    );
  });
});

describe('Function: capExploration', () => {
  it('gives the greedy channel what exploration may not take', () => {
    expect(capExploration([0.9, 0.06, 0.04], 0, 0.2)).toEqual([0.9, 0.06, 0.04]);
    expect(capExploration([0.2, 0.6, 0.2], 0, 0.2)).toEqual([
      0.8,
      expect.closeTo(0.15),
      expect.closeTo(0.05),
    ]);
  });
});
