/**
 * The template set: every template's manifest and Liquid sources, plus the shared layouts, partials
 * and brand, as plain data. An adapter loads it from the `templates/` folder (or a bundle embeds
 * it as JSON); the renderer only ever sees this object, so templates cannot reach the file system.
 */
import { z } from 'zod';
import { CategorySchema, ChannelSchema, locale, timestamp, timeZone } from '../../contract';

/** One template as loaded: its raw manifest (validated by the renderer) and its files by relative path. */
export interface TemplateSource {
  /** The parsed `template.json`, unvalidated. */
  readonly manifest: unknown;
  /** Liquid sources by path relative to the template's folder, such as `fr/email.html.liquid`. */
  readonly files: Readonly<Record<string, string>>;
}

/** Everything the renderer needs, as JSON-serialisable data. */
export interface TemplateSet {
  /** The brand (`templates/_brand.json`), unvalidated. */
  readonly brand: unknown;
  /** Layouts by name (`templates/_layouts/email.html.liquid` is `email.html`). */
  readonly layouts: Readonly<Record<string, string>>;
  /** Partials by name, for `{% render 'name' %}` (`templates/_partials/button.liquid` is `button`). */
  readonly partials: Readonly<Record<string, string>>;
  /** Templates by name: the folder path under `templates/`, such as `cart-reminder`. */
  readonly templates: Readonly<Record<string, TemplateSource>>;
}

/** The file that holds each part of each channel's variant, inside a locale folder. */
export const VARIANT_FILES = {
  sms: { text: 'sms.liquid' },
  whatsapp: { text: 'whatsapp.liquid' },
  email: { subject: 'email.subject.liquid', html: 'email.html.liquid', text: 'email.text.liquid' },
  push: {
    title: 'push.title.liquid',
    body: 'push.body.liquid',
    url: 'push.url.liquid',
    image: 'push.image.liquid',
  },
} as const;

/** The part whose presence in a locale folder means "this locale has a variant for the channel". */
export const MAIN_VARIANT_FILE = {
  sms: VARIANT_FILES.sms.text,
  whatsapp: VARIANT_FILES.whatsapp.text,
  email: VARIANT_FILES.email.html,
  push: VARIANT_FILES.push.body,
} as const;

/** Name of a WhatsApp template parameter as Twilio's Content API numbers or names them. */
const parameterName = z.string().regex(/^\w{1,32}$/, { error: 'must be 1 to 32 letters, digits or _' });

/** The brand shown by the email layout; unsubscribeUrl is a Liquid template rendered per message. */
export const BrandSchema = z.looseObject({
  name: z.string().min(1),
  websiteUrl: z.url(),
  unsubscribeUrl: z.string().min(1),
});
/** The brand. */
export type Brand = z.infer<typeof BrandSchema>;

/** An approved WhatsApp template in one locale: its Content SID and a Liquid source per parameter. */
export const ApprovedWhatsAppLocaleSchema = z.strictObject({
  contentSid: z
    .string()
    .regex(/^HX[0-9a-fA-F]{32}$/, { error: 'must be a Twilio Content SID (HX + 32 hex)' }),
  variables: z.record(parameterName, z.string()),
});

/** `template.json`: what a template offers and how to check it. */
export const TemplateManifestSchema = z.strictObject({
  description: z.string().max(500).optional(),
  channels: z
    .array(ChannelSchema)
    .min(1)
    .refine((channels) => new Set(channels).size === channels.length, { error: 'must not repeat a channel' }),
  locales: z.array(locale).min(1),
  defaultLocale: locale,
  email: z
    .strictObject({
      /** Layout under `_layouts/` (`email` uses `email.html.liquid` and `email.text.liquid`); false for none. */
      layout: z.union([z.string().min(1), z.literal(false)]).default('email'),
    })
    .default({ layout: 'email' }),
  whatsapp: z
    .strictObject({
      /** The approved template sent outside the 24-hour window. */
      approvedTemplate: z
        .strictObject({
          parameters: z.array(
            z.strictObject({ name: parameterName, description: z.string().max(200).optional() }),
          ),
          locales: z.record(locale, ApprovedWhatsAppLocaleSchema),
        })
        .optional(),
    })
    .default({}),
  sample: z.strictObject({
    category: CategorySchema,
    data: z.record(z.string(), z.unknown()).default({}),
    customer: z
      .strictObject({
        timezone: timeZone.optional(),
        attributes: z
          .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
          .default({}),
      })
      .default({ attributes: {} }),
    now: timestamp.optional(),
  }),
});
/** A validated manifest. */
export type TemplateManifest = z.infer<typeof TemplateManifestSchema>;
