import { ContractValidationError } from '../../../../functions/contract';
import { readTimeline } from '../../../../functions/domain/customers/read-timeline';
import { InvalidCursorError } from '../../../../functions/domain/errors';
import { InMemoryTimeline } from '../../../helpers/in-memory-api-ports';

describe('Function: readTimeline', () => {
  it('asks the ledger for 25 items without a cursor when the query says nothing', async () => {
    // Prepare
    const ledger = new InMemoryTimeline();

    // Act
    await readTimeline('cus_1', {}, { ledger });

    // Assess
    expect(ledger.calls).toEqual([{ customerId: 'cus_1', options: { limit: 25 } }]);
  });

  it('passes the limit and the cursor on', async () => {
    // Prepare
    const ledger = new InMemoryTimeline();

    // Act
    await readTimeline('cus_1', { limit: '100', cursor: 'abc' }, { ledger });

    // Assess
    expect(ledger.calls[0]?.options).toEqual({ limit: 100, cursor: 'abc' });
  });

  it.each(['0', '101', '2.5', 'ten'])('refuses limit=%s without reading', async (limit) => {
    // Prepare
    const ledger = new InMemoryTimeline();

    // Act
    const reading = readTimeline('cus_1', { limit }, { ledger });

    // Assess
    await expect(reading).rejects.toMatchObject({
      issues: [{ field: 'limit', message: expect.any(String) }],
    });
    expect(ledger.calls).toEqual([]);
  });

  it('reports a cursor the ledger did not issue as an invalid cursor field', async () => {
    // Prepare
    const ledger = new InMemoryTimeline(new InvalidCursorError('is not a cursor this API returned'));

    // Act
    const reading = readTimeline('cus_1', { cursor: 'forged' }, { ledger });

    // Assess
    await expect(reading).rejects.toBeInstanceOf(ContractValidationError);
    await expect(reading).rejects.toMatchObject({
      issues: [{ field: 'cursor', message: 'is not a cursor this API returned' }],
    });
  });

  it('lets any other ledger failure through', async () => {
    // Prepare
    const ledger = new InMemoryTimeline(new Error('DynamoDB is down'));

    // Act
    const reading = readTimeline('cus_1', {}, { ledger });

    // Assess
    await expect(reading).rejects.toThrow('DynamoDB is down');
  });
});
