/**
 * Validation before deploy: renders every template × channel × locale (and, for WhatsApp, both
 * sides of the 24-hour window) from the template's own sample data, and reports every failure.
 */
import type { Channel, Customer, MessageRequest } from '../../contract';
import type { RenderInput } from '../ports';
import type { RenderResult, TemplateRenderer } from './template-renderer';
import type { TemplateManifest } from './template-set';

/** One rendered (or failed) combination. */
export interface TemplateCheck {
  readonly template: string;
  readonly channel?: Channel;
  readonly locale?: string;
  /** For WhatsApp: whether the window was open for this render. */
  readonly whatsappWindowOpen?: boolean;
  readonly result?: RenderResult;
  readonly error?: string;
}

/** The sample render input of a template for one channel and customer locale. */
export function sampleInput(
  name: string,
  manifest: TemplateManifest,
  channel: Channel,
  locale: string,
  whatsappWindowOpen = true,
): RenderInput {
  const { sample } = manifest;
  const customer: Customer = {
    customerId: 'sample-customer',
    addresses: {},
    preferences: { channels: [] },
    consent: {},
    locale,
    attributes: sample.customer.attributes,
  };
  if (sample.customer.timezone !== undefined) customer.timezone = sample.customer.timezone;
  const request: MessageRequest = {
    schemaVersion: 1,
    requestId: `sample-${name.replaceAll('/', '-')}`,
    customerId: customer.customerId,
    category: sample.category,
    template: name,
    data: sample.data,
  };
  return {
    request,
    customer,
    channel,
    now: new Date(sample.now ?? '2026-01-01T12:00:00Z'),
    whatsappWindowOpen,
  };
}

/** Renders every template of the renderer's set in every declared channel and locale. */
export async function checkTemplates(renderer: TemplateRenderer): Promise<TemplateCheck[]> {
  const checks: TemplateCheck[] = renderer.problems().map((problem) => ({
    template: problem.template,
    error: problem.message,
  }));
  for (const name of renderer.templateNames) {
    const manifest = renderer.manifest(name);
    if (manifest === undefined) continue; // broken: already reported through problems()
    for (const channel of manifest.channels) {
      for (const locale of manifest.locales) {
        const windows = channel === 'whatsapp' ? whatsappWindows(manifest) : [undefined];
        for (const open of windows) {
          const input = sampleInput(name, manifest, channel, locale, open ?? true);
          const check = {
            template: name,
            channel,
            locale,
            ...(open === undefined ? {} : { whatsappWindowOpen: open }),
          };
          try {
            checks.push({ ...check, result: await renderer.renderDetailed(input) });
          } catch (error) {
            checks.push({ ...check, error: (error as Error).message });
          }
        }
      }
    }
  }
  return checks;
}

/** Window states worth rendering: open only if there is freeform text, closed only if there is an approved template. */
function whatsappWindows(manifest: TemplateManifest): boolean[] {
  return manifest.whatsapp.approvedTemplate === undefined ? [true] : [true, false];
}
