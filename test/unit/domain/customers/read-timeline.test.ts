import { ContractValidationError } from '../../../../functions/contract';
import { readTimeline } from '../../../../functions/domain/customers/read-timeline';
import { InvalidCursorError } from '../../../../functions/domain/errors';
import { InMemoryTimeline } from '../../../helpers/in-memory-api-ports';

describe('Function: readTimeline', () => {
  it('asks the reader for 25 entries without a cursor or filters when the query says nothing', async () => {
    // Prepare
    const timeline = new InMemoryTimeline();

    // Act
    await readTimeline('cus_1', {}, { timeline });

    // Assess
    expect(timeline.calls).toEqual([{ customerId: 'cus_1', read: { limit: 25 } }]);
  });

  it('passes the limit, the cursor and the filters on, without repeats', async () => {
    // Prepare
    const timeline = new InMemoryTimeline();

    // Act
    await readTimeline(
      'cus_1',
      {
        limit: '100',
        cursor: 'abc',
        types: 'message,touchpoint,message',
        channels: 'sms, web',
        since: '2026-11-23T10:00:00+01:00',
      },
      { timeline },
    );

    // Assess
    expect(timeline.calls[0]?.read).toEqual({
      limit: 100,
      cursor: 'abc',
      types: ['message', 'touchpoint'],
      channels: ['sms', 'web'],
      since: '2026-11-23T09:00:00.000Z',
    });
  });

  it.each(['0', '101', '2.5', 'ten'])('refuses limit=%s without reading', async (limit) => {
    // Prepare
    const timeline = new InMemoryTimeline();

    // Act
    const reading = readTimeline('cus_1', { limit }, { timeline });

    // Assess
    await expect(reading).rejects.toMatchObject({
      issues: [{ field: 'limit', message: expect.any(String) }],
    });
    expect(timeline.calls).toEqual([]);
  });

  it('names every bad filter field at once, without reading', async () => {
    // Prepare
    const timeline = new InMemoryTimeline();

    // Act
    const reading = readTimeline(
      'cus_1',
      { types: 'message,campaign', channels: 'sms,,fax', since: 'yesterday' },
      { timeline },
    );

    // Assess
    await expect(reading).rejects.toBeInstanceOf(ContractValidationError);
    await expect(reading).rejects.toMatchObject({
      issues: [
        {
          field: 'types',
          message: expect.stringMatching(/^has campaign: each must be one of message, inbound, .*, journey$/),
        },
        { field: 'channels', message: expect.stringMatching(/^has \(empty\), fax: each must be one of sms/) },
        { field: 'since', message: expect.stringContaining('ISO 8601') },
      ],
    });
    expect(timeline.calls).toEqual([]);
  });

  it('reports a cursor the reader did not issue as an invalid cursor field', async () => {
    // Prepare
    const timeline = new InMemoryTimeline(new InvalidCursorError('is not a cursor this API returned'));

    // Act
    const reading = readTimeline('cus_1', { cursor: 'forged' }, { timeline });

    // Assess
    await expect(reading).rejects.toBeInstanceOf(ContractValidationError);
    await expect(reading).rejects.toMatchObject({
      issues: [{ field: 'cursor', message: 'is not a cursor this API returned' }],
    });
  });

  it('lets any other reader failure through', async () => {
    // Prepare
    const timeline = new InMemoryTimeline(new Error('DynamoDB is down'));

    // Act
    const reading = readTimeline('cus_1', {}, { timeline });

    // Assess
    await expect(reading).rejects.toThrow('DynamoDB is down');
  });
});
