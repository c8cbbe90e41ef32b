import { ChannelUnusableError, RequestRejectedError } from '../../../functions/domain/errors';
import { type RenderWarning, TemplateRenderer } from '../../../functions/domain/templates';
import { greetingTemplate, renderInput, testTemplateSet } from '../../helpers/templates';

/** The error a promise rejects with, so a test can look at its class and message. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the render to fail, it succeeded');
}

/** Intl puts narrow no-break spaces in times ("1:30 PM"); compare with plain spaces. */
const plainSpaces = (text: string | undefined) => text?.replace(/[\u00a0\u202f]/g, ' ');

describe('Function: TemplateRenderer.render', () => {
  it('renders each channel from the request data and the customer profile', async () => {
    // Prepare
    const renderer = new TemplateRenderer({ templates: testTemplateSet() });

    // Act
    const sms = await renderer.render(renderInput('sms'));
    const push = await renderer.render(renderInput('push'));
    const email = await renderer.render(renderInput('email'));

    // Assess
    expect(sms).toEqual({ text: 'Hello Ada, code ABC' });
    expect(push).toEqual({ title: 'Hello Ada', text: 'Code ABC', url: 'https://shop.test/c/ABC' });
    expect(email.subject).toBe('Hello Ada');
    expect(email.html).toContain('<main><p>Hello Ada: hi</p></main>');
  });

  it('escapes data in email HTML but not in the subject, SMS or push', async () => {
    // Prepare
    const renderer = new TemplateRenderer({ templates: testTemplateSet() });
    const hostile = '<script>alert("x")</script> & <b>';
    const customer = { attributes: { firstName: 'Tom & <Jerry>' } };

    // Act
    const email = await renderer.render(
      renderInput('email', { data: { code: 'A', note: hostile }, customer }),
    );
    const sms = await renderer.render(renderInput('sms', { data: { code: hostile }, customer }));

    // Assess
    expect(email.html).toContain('&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;');
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('Hello Tom &amp; &lt;Jerry&gt;');
    expect(email.subject).toBe('Hello Tom & <Jerry>');
    expect(sms.text).toBe(`Hello Tom & <Jerry>, code ${hostile}`);
  });

  it.each([
    ['a data field', { note: 'hi' }, {}, 'data.code'],
    ['a profile attribute', { code: 'A' }, { attributes: {} }, 'customer.firstName'],
  ])(
    'rejects the request naming the variable when %s is missing',
    async (_case, data, customer, variable) => {
      // Prepare
      const renderer = new TemplateRenderer({ templates: testTemplateSet() });

      // Act
      const error = await rejection(renderer.render(renderInput('sms', { data, customer })));

      // Assess
      expect(error).toBeInstanceOf(RequestRejectedError);
      expect(error.message).toContain(`undefined variable: ${variable}`);
      expect(error.message).toContain('template "greeting" (en/sms.liquid)');
    },
  );

  it.each([
    ['fr-CA', 'fr', 'Bonjour Ada, code ABC'],
    ['fr', 'fr', 'Bonjour Ada, code ABC'],
    ['en-GB', 'en', 'Hello Ada, code ABC'],
    ['de-DE', 'en', 'Hello Ada, code ABC'],
    [undefined, 'en', 'Hello Ada, code ABC'],
  ])('picks the %s customer the %s variant', async (locale, variant, text) => {
    // Prepare
    const renderer = new TemplateRenderer({ templates: testTemplateSet() });

    // Act
    const result = await renderer.renderDetailed(renderInput('sms', { customer: { locale } }));

    // Assess
    expect(result.locale).toBe(variant);
    expect(result.content.text).toBe(text);
  });

  it('falls back to the default locale for a channel its locale does not have', async () => {
    // Prepare
    const template = greetingTemplate();
    const { 'fr/push.title.liquid': _title, 'fr/push.body.liquid': _body, ...files } = template.files;
    const renderer = new TemplateRenderer({
      templates: testTemplateSet({ greeting: { ...template, files } }),
    });

    // Act
    const push = await renderer.renderDetailed(renderInput('push', { customer: { locale: 'fr-CA' } }));
    const sms = await renderer.renderDetailed(renderInput('sms', { customer: { locale: 'fr-CA' } }));

    // Assess
    expect(push.locale).toBe('en');
    expect(push.content.title).toBe('Hello Ada');
    expect(sms.locale).toBe('fr');
  });

  it.each([
    ['Europe/Paris', 'March 28, 2026 at 9:00 PM'],
    ['Asia/Tokyo', 'March 29, 2026 at 5:00 AM'],
    ['America/New_York', 'March 28, 2026 at 4:00 PM'],
  ])('formats dates in the customer time zone %s', async (timezone, expected) => {
    // Prepare
    const template = greetingTemplate();
    const files = { ...template.files, 'en/sms.liquid': "{{ data.at | datetime_local: 'long' }}" };
    const renderer = new TemplateRenderer({
      templates: testTemplateSet({ greeting: { ...template, files } }),
    });

    // Act
    const sms = await renderer.render(
      renderInput('sms', { data: { at: '2026-03-28T20:00:00Z' }, customer: { timezone } }),
    );

    // Assess
    expect(plainSpaces(sms.text)).toBe(expected);
  });

  it('uses UTC for a customer without a time zone, or the configured default', async () => {
    // Prepare
    const template = greetingTemplate();
    const files = { ...template.files, 'en/sms.liquid': '{{ data.at | time_local }}' };
    const templates = testTemplateSet({ greeting: { ...template, files } });
    const input = renderInput('sms', {
      data: { at: '2026-03-28T20:00:00Z' },
      customer: { timezone: undefined },
    });

    // Act
    const utc = await new TemplateRenderer({ templates }).render(input);
    const tokyo = await new TemplateRenderer({ templates, defaultTimeZone: 'Asia/Tokyo' }).render(input);

    // Assess
    expect(plainSpaces(utc.text)).toBe('8:00 PM');
    expect(plainSpaces(tokyo.text)).toBe('5:00 AM');
  });

  it.each([
    ['en', { total: 49.9, currency: 'USD' }, '$49.90'],
    ['fr', { total: 49.9, currency: 'usd' }, '49,90 $US'],
    ['fr', { total: 49.9 }, '49,90 €'],
    ['en', { total: '1234.5', currency: 'JPY' }, '¥1,235'],
  ])('formats money for a %s customer in the request currency (%j)', async (locale, data, expected) => {
    // Prepare
    const template = greetingTemplate();
    const files = {
      ...template.files,
      'en/sms.liquid': '{{ data.total | money }}',
      'fr/sms.liquid': '{{ data.total | money }}',
    };
    const renderer = new TemplateRenderer({
      templates: testTemplateSet({ greeting: { ...template, files } }),
    });

    // Act
    const sms = await renderer.render(renderInput('sms', { data, customer: { locale } }));

    // Assess
    expect(sms.text).toBe(expected);
  });

  it.each([
    ['marketing', true],
    ['transactional', false],
  ])('puts the unsubscribe link in %s email: %s', async (category, hasLink) => {
    // Prepare
    const renderer = new TemplateRenderer({ templates: testTemplateSet() });

    // Act
    const email = await renderer.render(renderInput('email', { category }));

    // Assess
    const link = `<a href="https://shop.test/unsubscribe?c=cust-1&amp;k=${category}">Unsubscribe</a>`;
    expect(email.html?.includes(link)).toBe(hasLink);
    expect(email.text?.includes(`Unsubscribe (https://shop.test/unsubscribe?c=cust-1&k=${category})`)).toBe(
      hasLink,
    );
  });

  it('generates the plain-text part from the HTML when the template gives none', async () => {
    // Prepare
    const renderer = new TemplateRenderer({ templates: testTemplateSet() });

    // Act
    const email = await renderer.render(renderInput('email', { category: 'transactional' }));

    // Assess
    expect(email.text).toBe('Hello Ada: hi');
  });

  it('renders WhatsApp freeform text and the approved template while the window is open, only the template once it closes', async () => {
    // Prepare
    const renderer = new TemplateRenderer({ templates: testTemplateSet() });

    // Act
    const open = await renderer.renderDetailed(renderInput('whatsapp', { whatsappWindowOpen: true }));
    const closed = await renderer.renderDetailed(
      renderInput('whatsapp', { whatsappWindowOpen: false, customer: { locale: 'fr-CA' } }),
    );

    // Assess
    expect(open.whatsappForm).toBe('freeform');
    expect(open.content).toEqual({
      text: 'Hello Ada on WhatsApp',
      whatsappTemplate: { contentSid: `HX${'a'.repeat(32)}`, variables: { '1': 'Ada', '2': 'ABC' } },
    });
    expect(closed.whatsappForm).toBe('template');
    expect(closed.content).toEqual({
      whatsappTemplate: { contentSid: `HX${'f'.repeat(32)}`, variables: { '1': 'Ada', '2': 'ABC' } },
    });
  });

  it('renders only freeform text while the window is open when there is no approved template', async () => {
    // Prepare
    const template = greetingTemplate();
    const manifest = { ...(template.manifest as object), whatsapp: {} };
    const renderer = new TemplateRenderer({
      templates: testTemplateSet({ greeting: { ...template, manifest } }),
    });

    // Act
    const open = await renderer.renderDetailed(renderInput('whatsapp', { whatsappWindowOpen: true }));

    // Assess
    expect(open.whatsappForm).toBe('freeform');
    expect(open.content).toEqual({ text: 'Hello Ada on WhatsApp' });
  });

  it('finds the channel unusable when the WhatsApp window is closed and there is no approved template', async () => {
    // Prepare
    const template = greetingTemplate();
    const manifest = { ...(template.manifest as object), whatsapp: {} };
    const renderer = new TemplateRenderer({
      templates: testTemplateSet({ greeting: { ...template, manifest } }),
    });

    // Act
    const error = await rejection(renderer.render(renderInput('whatsapp', { whatsappWindowOpen: false })));

    // Assess
    expect(error).toBeInstanceOf(ChannelUnusableError);
    expect((error as ChannelUnusableError).code).toBe('whatsapp_window_closed');
  });

  it.each([
    ['empty', '   ', 'WhatsApp template parameter {{2}} rendered empty'],
    ['multi-line', 'A\nB', 'WhatsApp template parameter {{2}} contains a line break or tab'],
  ])('rejects an approved WhatsApp template whose parameter renders %s', async (_case, code, reason) => {
    // Prepare
    const renderer = new TemplateRenderer({ templates: testTemplateSet() });

    // Act
    const error = await rejection(
      renderer.render(renderInput('whatsapp', { whatsappWindowOpen: false, data: { code } })),
    );

    // Assess
    expect(error).toBeInstanceOf(RequestRejectedError);
    expect(error.message).toContain(reason);
  });

  it('rejects a template whose approved WhatsApp variables do not match the declared parameters', async () => {
    // Prepare
    const template = greetingTemplate();
    const manifest = structuredClone(template.manifest) as {
      whatsapp: { approvedTemplate: { locales: Record<string, { variables: Record<string, string> }> } };
    };
    manifest.whatsapp.approvedTemplate.locales.fr!.variables = { '1': 'x', '3': 'y' };
    const renderer = new TemplateRenderer({
      templates: testTemplateSet({ greeting: { ...template, manifest } }),
    });

    // Act
    const error = await rejection(renderer.render(renderInput('sms')));

    // Assess
    expect(error).toBeInstanceOf(RequestRejectedError);
    expect(error.message).toContain('locales.fr has no value for parameter(s) 2');
    expect(error.message).toContain('locales.fr maps undeclared parameter(s) 3');
  });

  it('rejects an unknown template by name', async () => {
    // Prepare
    const renderer = new TemplateRenderer({ templates: testTemplateSet() });

    // Act
    const error = await rejection(renderer.render(renderInput('sms', { template: 'no-such-thing' })));

    // Assess
    expect(error).toBeInstanceOf(RequestRejectedError);
    expect(error.message).toBe('unknown template "no-such-thing"');
  });

  it('finds the channel unusable when the template has no variant for it', async () => {
    // Prepare
    const template = greetingTemplate();
    const manifest = { ...(template.manifest as object), channels: ['sms', 'email'], whatsapp: {} };
    const files = Object.fromEntries(
      Object.entries(template.files).filter(
        ([path]) => !path.includes('/push.') && !path.includes('/whatsapp.'),
      ),
    );
    const renderer = new TemplateRenderer({ templates: testTemplateSet({ greeting: { manifest, files } }) });

    // Act
    const error = await rejection(renderer.render(renderInput('push')));

    // Assess
    expect(error).toBeInstanceOf(ChannelUnusableError);
    expect(error.message).toBe('template "greeting" has no push variant');
  });

  it('warns past the configured SMS segment count and never truncates', async () => {
    // Prepare
    const warnings: RenderWarning[] = [];
    const renderer = new TemplateRenderer({
      templates: testTemplateSet(),
      smsWarnSegments: 1,
      onWarning: (warning) => warnings.push(warning),
    });
    const code = 'x'.repeat(200);

    // Act
    const result = await renderer.renderDetailed(renderInput('sms', { data: { code } }));

    // Assess
    expect(result.content.text).toBe(`Hello Ada, code ${code}`);
    expect(result.sms).toEqual({ encoding: 'GSM-7', segments: 2, characters: 216 });
    expect(result.warnings).toEqual(['SMS text is 2 GSM-7 segments (216 units); more than 1']);
    expect(warnings).toEqual([
      { template: 'greeting', channel: 'sms', locale: 'en', message: result.warnings[0] },
    ]);
  });

  it('reports an emoji SMS as UCS-2', async () => {
    // Prepare
    const renderer = new TemplateRenderer({ templates: testTemplateSet() });

    // Act
    const result = await renderer.renderDetailed(renderInput('sms', { data: { code: '🎁' } }));

    // Assess
    expect(result.sms).toEqual({ encoding: 'UCS-2', segments: 1, characters: 18 });
  });

  it.each([
    ['an SMS longer than Twilio accepts', 'sms', { code: 'x'.repeat(1600) }, 'Twilio accepts at most 1600'],
    [
      'a push deep link that is not a URL',
      'push',
      { code: 'a b' },
      'push deep link must be an absolute http(s) URL',
    ],
    [
      'an email subject with a line break',
      'email',
      { code: 'A', note: 'n' },
      'email subject must be one line',
    ],
  ] as const)('rejects %s', async (_case, channel, data, reason) => {
    // Prepare
    const customer = channel === 'email' ? { attributes: { firstName: 'Ada\nBcc: x@evil.test' } } : {};
    const renderer = new TemplateRenderer({ templates: testTemplateSet() });

    // Act
    const error = await rejection(renderer.render(renderInput(channel, { data, customer })));

    // Assess
    expect(error).toBeInstanceOf(RequestRejectedError);
    expect(error.message).toContain(reason);
  });

  it.each([
    ['an absolute path', "{% render '/etc/passwd' %}", 'Failed to lookup "/etc/passwd"'],
    [
      'a relative path out of the set',
      "{% include '../../package.json' %}",
      'Failed to lookup "../../package.json"',
    ],
    ['a prototype property', '{{ data.constructor }}', 'undefined variable: data.constructor'],
  ])('keeps templates in the sandbox: %s is refused', async (_case, source, reason) => {
    // Prepare
    const template = greetingTemplate();
    const renderer = new TemplateRenderer({
      templates: testTemplateSet({
        greeting: { ...template, files: { ...template.files, 'en/sms.liquid': source } },
      }),
    });

    // Act
    const error = await rejection(renderer.render(renderInput('sms')));

    // Assess
    expect(error).toBeInstanceOf(RequestRejectedError);
    expect(error.message).toContain(reason);
  });
});

describe('Function: TemplateRenderer.problems', () => {
  it('names the file and the fault of a template that does not parse, a stray file and a missing variant', () => {
    // Prepare
    const template = greetingTemplate();
    const { 'en/push.body.liquid': _body, ...files } = template.files;
    const broken = { ...files, 'fr/sms.liquid': 'Hi {% if %}', 'en/sms.liqiud': 'typo' };

    // Act
    const renderer = new TemplateRenderer({
      templates: testTemplateSet({ greeting: { ...template, files: broken } }),
    });

    // Assess
    const messages = renderer.problems().map((problem) => `${problem.template}: ${problem.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^greeting: fr\/sms\.liquid: .*line:1/),
        expect.stringMatching(/^greeting: en\/sms\.liqiud: not a file of a declared channel/),
        'greeting: en/push.body.liquid: missing; the default locale needs every declared channel',
      ]),
    );
    expect(renderer.manifest('greeting')).toBeUndefined();
  });
});
