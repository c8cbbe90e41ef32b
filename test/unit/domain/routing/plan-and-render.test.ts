import { ChannelUnusableError, RequestRejectedError } from '../../../../functions/domain/errors';
import type { MessageRenderer } from '../../../../functions/domain/ports';
import { planAndRender } from '../../../../functions/domain/routing/plan-and-render';
import { aCustomer, aRequest } from '../../../helpers/factories';
import { inMemoryRouterPorts, routingContextFor } from '../../../helpers/in-memory-routing-ports';

const profileOf = (customer = aCustomer({ preferences: { channels: ['sms', 'email'] } })) => ({
  customer,
  state: { invalidAddresses: {} },
});

describe('Function: planAndRender', () => {
  it('routes to the first preferred channel with its rendered content, the other reachable channels kept for fallback', async () => {
    // Prepare
    const profile = profileOf();
    const context = routingContextFor(inMemoryRouterPorts([profile.customer]));
    // Act
    const decision = await planAndRender(aRequest(profile.customer.customerId), profile, [], context);
    // Assess
    expect(decision).toMatchObject({
      kind: 'route',
      channels: ['sms'],
      fallbackChannels: ['email', 'whatsapp', 'push'],
      delaySeconds: 0,
    });
    expect(decision.kind === 'route' && decision.rendered.get('sms')).toEqual({
      text: 'Your code is 123456',
    });
  });

  it('ends the message undeliverable when the customer is unknown', async () => {
    // Prepare
    const context = routingContextFor(inMemoryRouterPorts());
    // Act
    const decision = await planAndRender(aRequest('c-unknown'), undefined, [], context);
    // Assess
    expect(decision).toEqual({
      kind: 'final',
      status: 'undeliverable',
      reasons: ['customer: not found'],
      skipped: {},
    });
  });

  it('skips a channel the renderer cannot use and takes the next one', async () => {
    // Prepare
    const profile = profileOf();
    const ports = inMemoryRouterPorts([profile.customer]);
    const renderer: MessageRenderer = {
      async render(input) {
        if (input.channel === 'sms')
          throw new ChannelUnusableError('no sms variant', { code: 'no_template_variant' });
        return ports.renderer.render(input);
      },
    };
    const context = routingContextFor({ ...ports, renderer });
    // Act
    const decision = await planAndRender(aRequest(profile.customer.customerId), profile, [], context);
    // Assess
    expect(decision).toMatchObject({
      kind: 'route',
      channels: ['email'],
      fallbackChannels: ['whatsapp', 'push'],
      skipped: { sms: 'no sms variant' },
    });
  });

  it('rejects the message when the renderer rejects the request', async () => {
    // Prepare
    const profile = profileOf();
    const ports = inMemoryRouterPorts([profile.customer]);
    const renderer: MessageRenderer = {
      async render() {
        throw new RequestRejectedError(['unknown template "nope"']);
      },
    };
    // Act
    const decision = await planAndRender(
      aRequest(profile.customer.customerId),
      profile,
      [],
      routingContextFor({ ...ports, renderer }),
    );
    // Assess
    expect(decision).toMatchObject({
      kind: 'final',
      status: 'rejected',
      reasons: ['unknown template "nope"'],
    });
  });

  it('never plans a channel already tried', async () => {
    // Prepare
    const profile = profileOf();
    const context = routingContextFor(inMemoryRouterPorts([profile.customer]));
    // Act
    const decision = await planAndRender(aRequest(profile.customer.customerId), profile, ['sms'], context);
    // Assess
    expect(decision).toMatchObject({ kind: 'route', channels: ['email'] });
  });
});
