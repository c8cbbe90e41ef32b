import { ContractValidationError } from '../../../../functions/contract';
import { messageIdFor } from '../../../../functions/domain/message-id';
import { acceptMessage } from '../../../../functions/domain/messages/accept-message';
import { RecordingRequestPublisher } from '../../../helpers/in-memory-api-ports';

describe('Function: acceptMessage', () => {
  it('publishes a valid request as written and returns its message id', async () => {
    // Prepare
    const requests = new RecordingRequestPublisher();
    const request = {
      schemaVersion: 1,
      requestId: 'r-1',
      customerId: 'cus_1',
      category: 'transactional',
      content: { text: 'Your code is 123456' },
    };

    // Act
    const accepted = await acceptMessage(request, { requests });

    // Assess
    expect(accepted).toEqual({
      messageId: messageIdFor('cus_1', 'r-1'),
      requestId: 'r-1',
      customerId: 'cus_1',
    });
    expect(requests.published).toEqual([request]);
  });

  it('refuses a request without a template or content and publishes nothing', async () => {
    // Prepare
    const requests = new RecordingRequestPublisher();

    // Act
    const accepting = acceptMessage(
      { schemaVersion: 1, requestId: 'r', customerId: 'c', category: 'marketing' },
      { requests },
    );

    // Assess
    await expect(accepting).rejects.toBeInstanceOf(ContractValidationError);
    await expect(accepting).rejects.toMatchObject({ issues: [{ field: 'template' }] });
    expect(requests.published).toEqual([]);
  });
});
