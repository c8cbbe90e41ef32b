import { loadTemplateSet } from '../../../functions/adapters/files/template-files';
import { checkTemplates, sampleInput, TemplateRenderer } from '../../../functions/domain/templates';

const renderer = new TemplateRenderer({ templates: loadTemplateSet() });
const DEMO_TEMPLATES = ['back-in-stock', 'cart-reminder', 'order-thank-you', 'weekly-offer'];

describe('Function: shipped templates', () => {
  it('ships the templates the demo journey needs, in English and French, for every channel', () => {
    // Act
    const manifests = DEMO_TEMPLATES.map((name) => renderer.manifest(name));

    // Assess
    expect(renderer.problems()).toEqual([]);
    expect(renderer.templateNames).toEqual(expect.arrayContaining(DEMO_TEMPLATES));
    for (const manifest of manifests) {
      expect(manifest?.locales).toEqual(['en', 'fr']);
      expect([...(manifest?.channels ?? [])].sort()).toEqual(['email', 'push', 'sms', 'whatsapp']);
    }
  });

  it('renders every template, channel and locale from its sample data without an error or a fallback', async () => {
    // Act
    const checks = await checkTemplates(renderer);

    // Assess
    expect(checks.filter((check) => check.error !== undefined)).toEqual([]);
    // 4 channels × 2 locales, plus WhatsApp with the window closed for each approved template.
    expect(checks).toHaveLength(DEMO_TEMPLATES.length * (4 * 2 + 2));
    for (const check of checks) expect(check.result?.locale).toBe(check.locale);
  });

  it.each(DEMO_TEMPLATES)('renders %s differently in French and English', async (name) => {
    // Prepare
    const manifest = renderer.manifest(name)!;

    // Act
    const [en, fr] = await Promise.all(
      ['en', 'fr'].map((locale) => renderer.render(sampleInput(name, manifest, 'email', locale))),
    );

    // Assess
    expect(fr?.subject).not.toBe(en?.subject);
    expect(fr?.html).toContain('lang="fr"');
    expect(en?.html).toContain('lang="en"');
  });

  it.each([
    ['cart-reminder', true],
    ['weekly-offer', true],
    ['order-thank-you', false],
    ['back-in-stock', false],
  ])('puts the unsubscribe footer on %s email only when it is marketing (%s)', async (name, marketing) => {
    // Prepare
    const manifest = renderer.manifest(name)!;

    // Act
    const email = await renderer.render(sampleInput(name, manifest, 'email', 'fr-CA'));

    // Assess
    expect(manifest.sample.category === 'marketing').toBe(marketing);
    expect(email.html?.includes('/preferences/unsubscribe?customer=sample-customer')).toBe(marketing);
    expect(email.text?.includes('Se désabonner de ces e-mails')).toBe(marketing);
  });

  it('adds the suggestion the post-purchase journey passes to the WhatsApp thank-you, and nothing without one', async () => {
    // Prepare
    const manifest = renderer.manifest('order-thank-you')!;
    const input = sampleInput('order-thank-you', manifest, 'whatsapp', 'en', true);
    const suggestion = { name: 'Wool scarf', url: 'https://shop.example.com/products/wool-scarf' };

    // Act
    const plain = await renderer.render(input);
    const suggested = await renderer.render({
      ...input,
      request: { ...input.request, data: { ...input.request.data, suggestion } },
    });

    // Assess
    expect(plain.text).not.toContain('You might also like');
    expect(suggested.text).toBe(
      `${plain.text}\nYou might also like: Wool scarf https://shop.example.com/products/wool-scarf`,
    );
  });

  it('keeps the demo SMS texts in GSM-7 and within two segments', async () => {
    // Act
    const checks = (await checkTemplates(renderer)).filter((check) => check.channel === 'sms');

    // Assess
    for (const check of checks) {
      expect({
        template: check.template,
        locale: check.locale,
        encoding: check.result?.sms?.encoding,
      }).toEqual({
        template: check.template,
        locale: check.locale,
        encoding: 'GSM-7',
      });
      expect(check.result?.sms?.segments).toBeLessThanOrEqual(2);
    }
  });
});
