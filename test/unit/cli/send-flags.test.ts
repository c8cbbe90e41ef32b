import { requestFromFlags } from '../../../cli/commands/send';

describe('Function: requestFromFlags', () => {
  it('puts --strategy and --channel into the routing options', () => {
    // Act
    const request = requestFromFlags({
      customer: 'lea',
      text: 'Spring sale',
      category: 'marketing',
      strategy: 'learned',
      channel: 'whatsapp,email',
    });

    // Assess
    expect(request.routing).toEqual({ strategy: 'learned', channels: ['whatsapp', 'email'] });
  });

  it('leaves routing out when neither is given', () => {
    expect(requestFromFlags({ customer: 'lea', text: 'Hi' }).routing).toBeUndefined();
  });
});
