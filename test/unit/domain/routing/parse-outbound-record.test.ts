import { messageIdFor, rejectedMessageIdFor } from '../../../../functions/domain/message-id';
import { logKeysOf, parseOutboundRecord } from '../../../../functions/domain/routing/parse-outbound-record';
import { aRequest } from '../../../helpers/factories';
import { anOutboundRecord } from '../../../helpers/in-memory-routing-ports';

describe('Function: parseOutboundRecord', () => {
  it('reads a message request and names its message by customer and request id', () => {
    // Prepare
    const request = aRequest('c-1');
    // Act
    const parsed = parseOutboundRecord(anOutboundRecord(request));
    // Assess
    expect(parsed).toMatchObject({
      kind: 'request',
      request,
      messageId: messageIdFor('c-1', request.requestId),
    });
  });

  it('reads a fallback request and keeps the message id it names', () => {
    // Prepare
    const fallback = {
      kind: 'fallback',
      schemaVersion: 1,
      messageId: 'msg_1',
      customerId: 'c-1',
      triedChannels: ['sms'],
      reason: 'sms: failed (30003)',
      requestedAt: '2026-03-02T10:00:00.000Z',
    };
    // Act
    const parsed = parseOutboundRecord(anOutboundRecord(fallback));
    // Assess
    expect(parsed).toMatchObject({
      kind: 'fallback',
      messageId: 'msg_1',
      fallback: { triedChannels: ['sms'] },
    });
  });

  it('marks a body that is not JSON invalid, named after the body', () => {
    // Prepare
    const record = anOutboundRecord('{not json');
    // Act
    const parsed = parseOutboundRecord(record);
    // Assess
    expect(parsed).toMatchObject({
      kind: 'invalid',
      issues: [{ field: '(request)', message: 'is not JSON' }],
      messageId: rejectedMessageIdFor('{not json'),
    });
  });

  it('keeps usable ids of an invalid request so it lands on the customer timeline', () => {
    // Prepare
    const record = anOutboundRecord({ ...aRequest('c-1', { requestId: 'r-1' }), category: 'NOT A CATEGORY' });
    // Act
    const parsed = parseOutboundRecord(record);
    // Assess
    expect(parsed).toMatchObject({
      kind: 'invalid',
      customerId: 'c-1',
      requestId: 'r-1',
      messageId: messageIdFor('c-1', 'r-1'),
    });
    expect(logKeysOf(parsed)).toEqual({
      customerId: 'c-1',
      requestId: 'r-1',
      messageId: messageIdFor('c-1', 'r-1'),
    });
  });

  it('drops ids that are not safe to key on and names the message after the body', () => {
    // Prepare
    const body = JSON.stringify({ customerId: 'c 1 with spaces', requestId: 'r-1' });
    // Act
    const parsed = parseOutboundRecord(anOutboundRecord(body));
    // Assess
    expect(parsed).toMatchObject({
      kind: 'invalid',
      customerId: undefined,
      messageId: rejectedMessageIdFor(body),
    });
  });
});
