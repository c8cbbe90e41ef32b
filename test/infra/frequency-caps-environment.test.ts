/**
 * The `frequencyCaps` setting reaches the router as the variable its configuration reader reads,
 * with the one extra grant the counters need; without caps the router gets neither.
 */
import { FREQUENCY_CAPS_ENV, frequencyCapsFromEnv } from '../../functions/frequency-caps-config';
import { environmentOf, logicalId, statementsOfRole, synthSwitchboard } from '../helpers/cdk-app';

const routerStatements = (sb: ReturnType<typeof synthSwitchboard>) =>
  statementsOfRole(sb.services, logicalId(sb.stateless, sb.stateless.functions.router!.function.role!));

describe('Infra: frequency caps settings', () => {
  it('gives the router the caps and lets it update only profile items of the customers table', () => {
    // Prepare
    const sb = synthSwitchboard({
      stage: 'dev',
      frequencyCaps: [
        { categories: ['marketing'], max: 3, per: 'P7D' },
        { categories: ['marketing'], channel: 'sms', max: 1, per: 'P1D', overflow: 'drop' },
      ],
    });

    // Act
    const caps = frequencyCapsFromEnv(environmentOf(sb, 'router'));
    const count = routerStatements(sb).find((s) => s.Sid === 'CountFrequencyCaps');

    // Assess
    expect(caps).toEqual([
      { categories: ['marketing'], channel: 'any', max: 3, per: 'P7D', overflow: 'defer' },
      { categories: ['marketing'], channel: 'sms', max: 1, per: 'P1D', overflow: 'drop' },
    ]);
    expect(count?.actions).toEqual(['dynamodb:UpdateItem']);
    expect(JSON.stringify(count?.resources)).toContain(
      logicalId(sb.stateful, sb.stateful.tables.customers.table),
    );
    expect(count?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['customer#*'] },
    });
  });

  it('gives the router no caps variable and no update grant when none is configured', () => {
    // Prepare
    const sb = synthSwitchboard({ stage: 'dev' });

    // Act
    const env = environmentOf(sb, 'router');

    // Assess
    expect(env[FREQUENCY_CAPS_ENV]).toBeUndefined();
    expect(routerStatements(sb).some((s) => s.Sid === 'CountFrequencyCaps')).toBe(false);
  });

  it('fails the synth on a cap of transactional messages', () => {
    expect(() =>
      synthSwitchboard({
        stage: 'dev',
        frequencyCaps: [{ categories: ['transactional'], max: 1, per: 'P1D' }],
      }),
    ).toThrow(/transactional messages are never capped/);
  });
});
