/**
 * TemplateRenderer: renders a request that names a template for one channel, in the customer's
 * language, personalised from the request's data and the customer's profile. The main path: find
 * the template, pick the locale variant (fr-CA → fr → default), render each part with Liquid,
 * wrap email in the brand layout, check the channel's rules, and return the content.
 */
import type { Liquid, Template } from 'liquidjs';
import type { Channel, Customer, RenderedContent } from '../../contract';
import { Category, RenderedContentSchema } from '../../contract';
import { ChannelUnusableError, RequestRejectedError } from '../errors';
import type { MessageRenderer, RenderInput } from '../ports';
import type { SmsSegments } from '../sms-segments';
import { WhatsAppForm } from '../whatsapp-window';
import {
  CHANNEL_LIMITS,
  checkEmailSubject,
  checkPush,
  checkSmsText,
  checkUrl,
  checkWhatsAppText,
  checkWhatsAppVariables,
  type RuleReport,
} from './channel-rules';
import { htmlToText } from './html-to-text';
import { FORMAT_SETTINGS, type FormatSettings } from './liquid-engine';
import { canonicalLocale, localeChain } from './locale-fallback';
import { type CompiledTemplate, TemplateCompiler, type TemplateProblem } from './template-compiler';
import { MAIN_VARIANT_FILE, type TemplateManifest, type TemplateSet, VARIANT_FILES } from './template-set';

/** Options of the renderer. */
export interface TemplateRendererOptions {
  /** The loaded template set (see adapters/files/template-files.ts). */
  readonly templates: TemplateSet;
  /** Time zone for customers without one. Default `UTC`. */
  readonly defaultTimeZone?: string;
  /** Currency for `money` when the request's data has no `currency`. Default `EUR`. */
  readonly defaultCurrency?: string;
  /** SMS segment count past which a render warns. Default 3. */
  readonly smsWarnSegments?: number;
  /** Told about every warning of every render (for logging); renderDetailed also returns them. */
  readonly onWarning?: (warning: RenderWarning) => void;
}

/** A soft rule a render broke, such as an SMS longer than the configured segment count. */
export interface RenderWarning {
  readonly template: string;
  readonly channel: Channel;
  readonly locale: string;
  readonly message: string;
}

/** A render with what was decided on the way. */
export interface RenderResult {
  readonly content: RenderedContent;
  readonly template: string;
  readonly channel: Channel;
  /** The locale variant used (after fallback). */
  readonly locale: string;
  /** For WhatsApp: `freeform` text or the approved `template`. */
  readonly whatsappForm?: WhatsAppForm;
  /** For SMS: encoding and segment count. */
  readonly sms?: SmsSegments;
  readonly warnings: readonly string[];
}

type Scope = Record<string, unknown>;

/** Renders template requests for every channel; implements the MessageRenderer port. Compiling is {@link TemplateCompiler}'s job. */
export class TemplateRenderer implements MessageRenderer {
  private readonly compiler: TemplateCompiler;
  private readonly defaultTimeZone: string;
  private readonly defaultCurrency: string;
  private readonly smsWarnSegments: number;
  private readonly onWarning: ((warning: RenderWarning) => void) | undefined;

  constructor(options: TemplateRendererOptions) {
    this.defaultTimeZone = options.defaultTimeZone ?? 'UTC';
    this.defaultCurrency = options.defaultCurrency ?? 'EUR';
    this.smsWarnSegments = options.smsWarnSegments ?? CHANNEL_LIMITS.smsWarnSegments;
    this.onWarning = options.onWarning;
    this.compiler = new TemplateCompiler(options.templates);
  }

  /** Every template's name, sorted. */
  get templateNames(): string[] {
    return this.compiler.templateNames;
  }

  /** The validated manifest of a template, or undefined when it is unknown or broken. */
  manifest(name: string): TemplateManifest | undefined {
    return this.compiler.manifest(name);
  }

  /** Everything wrong with the set that can be told without rendering: manifests, file names, Liquid syntax. */
  problems(): TemplateProblem[] {
    return this.compiler.problems();
  }

  /** Renders the request's template for the input's channel (the MessageRenderer port). */
  async render(input: RenderInput): Promise<RenderedContent> {
    return (await this.renderDetailed(input)).content;
  }

  /** Renders and also returns the locale used, the WhatsApp form, SMS segments and warnings. */
  async renderDetailed(input: RenderInput): Promise<RenderResult> {
    const template = this.compiler.find(input.request.template);
    const { channel } = input;
    if (!template.manifest.channels.includes(channel)) {
      throw new ChannelUnusableError(`template "${template.name}" has no ${channel} variant`, {
        code: 'no_template_variant',
      });
    }
    this.compiler.requireUsableShared();
    const result = await this.renderChannel(template, input);
    for (const message of result.warnings) {
      this.onWarning?.({ template: template.name, channel, locale: result.locale, message });
    }
    const parsed = RenderedContentSchema.safeParse(result.content);
    if (!parsed.success) {
      throw new RequestRejectedError(
        parsed.error.issues.map(
          (issue) =>
            `template "${template.name}" (${channel}, ${result.locale}): ${issue.path.join('.')} ${issue.message}`,
        ),
      );
    }
    return { ...result, content: parsed.data };
  }

  private async renderChannel(template: CompiledTemplate, input: RenderInput): Promise<RenderResult> {
    const { channel } = input;
    switch (channel) {
      case 'sms': {
        const locale = this.variantLocale(template, input, MAIN_VARIANT_FILE.sms);
        const run = this.runner(template, input, locale);
        // Intl puts no-break spaces in money and dates ("98,90 €"); outside GSM-7 they would
        // double the SMS's cost, and a plain space reads the same on a phone.
        const text = (await run.text(VARIANT_FILES.sms.text)).trim().replace(/[\u00a0\u202f]/g, ' ');
        const report = checkSmsText(text, this.smsWarnSegments);
        run.enforce(report);
        return { ...run.result({ text }, report.warnings), sms: report.segments };
      }
      case 'whatsapp':
        return this.renderWhatsApp(template, input);
      case 'email': {
        const locale = this.variantLocale(template, input, MAIN_VARIANT_FILE.email);
        const run = this.runner(template, input, locale);
        const subject = (await run.text(VARIANT_FILES.email.subject)).trim();
        const body = await run.html(VARIANT_FILES.email.html);
        const layout = template.manifest.email.layout;
        const layoutScope = { content: body, subject };
        const html = layout === false ? body : await run.layout(`${layout}.html`, layoutScope);
        const textBody = run.has(VARIANT_FILES.email.text)
          ? await run.text(VARIANT_FILES.email.text)
          : undefined;
        const text =
          textBody === undefined
            ? htmlToText(html)
            : layout !== false && this.compiler.layouts.has(`${layout}.text`)
              ? (await run.layout(`${layout}.text`, { ...layoutScope, content: textBody.trim() })).trim()
              : textBody.trim();
        const report = checkEmailSubject(subject);
        run.enforce(report);
        return run.result({ subject, html, text }, report.warnings);
      }
      case 'push': {
        const locale = this.variantLocale(template, input, MAIN_VARIANT_FILE.push);
        const run = this.runner(template, input, locale);
        const title = (await run.text(VARIANT_FILES.push.title)).trim();
        const body = (await run.text(VARIANT_FILES.push.body)).trim();
        const url = run.has(VARIANT_FILES.push.url) ? (await run.text(VARIANT_FILES.push.url)).trim() : '';
        const imageUrl = run.has(VARIANT_FILES.push.image)
          ? (await run.text(VARIANT_FILES.push.image)).trim()
          : '';
        const report = merge(
          checkPush(title, body),
          url === '' ? undefined : checkUrl('push deep link', url),
          imageUrl === '' ? undefined : checkUrl('push image', imageUrl),
        );
        run.enforce(report);
        const content: RenderedContent = { title, text: body };
        if (url !== '') content.url = url;
        if (imageUrl !== '') content.imageUrl = imageUrl;
        return run.result(content, report.warnings);
      }
    }
  }

  /**
   * WhatsApp: freeform while the window is open, the approved template outside it — and both when
   * the window is open and an approved template exists, so the sender can still send the template
   * if the message waits in a queue past the window's end (domain/whatsapp-window.ts decides then).
   */
  private async renderWhatsApp(template: CompiledTemplate, input: RenderInput): Promise<RenderResult> {
    const approved = template.manifest.whatsapp.approvedTemplate;
    const freeformLocale = this.findVariantLocale(template, input.customer, MAIN_VARIANT_FILE.whatsapp);
    // Without knowing the window is open, assume closed: freeform outside it is refused by WhatsApp.
    if (input.whatsappWindowOpen === true && freeformLocale !== undefined) {
      const run = this.runner(template, input, freeformLocale);
      const text = (await run.text(VARIANT_FILES.whatsapp.text)).trim();
      const report = checkWhatsAppText(text);
      run.enforce(report);
      const freeform = { ...run.result({ text }, report.warnings), whatsappForm: WhatsAppForm.FREEFORM };
      // With the window open, a template with no variant for this customer only costs the spare
      // form; a broken template (RequestRejectedError) still fails the render.
      const spare = approved && (await this.renderApprovedWhatsApp(template, input).catch(unusableAsNone));
      if (!spare) return freeform;
      const content = { ...freeform.content, whatsappTemplate: spare.content.whatsappTemplate };
      return { ...freeform, content, warnings: [...freeform.warnings, ...spare.warnings] };
    }
    if (approved === undefined) {
      throw new ChannelUnusableError(
        `template "${template.name}" has no approved WhatsApp template for outside the 24-hour window`,
        { code: 'whatsapp_window_closed' },
      );
    }
    return this.renderApprovedWhatsApp(template, input);
  }

  private async renderApprovedWhatsApp(
    template: CompiledTemplate,
    input: RenderInput,
  ): Promise<RenderResult> {
    const approved = template.manifest.whatsapp.approvedTemplate;
    const chain = localeChain(input.customer.locale, template.manifest.defaultLocale);
    const locale = chain.find((candidate) => template.whatsappVariables.has(candidate));
    const sources = locale === undefined ? undefined : template.whatsappVariables.get(locale);
    const contentSid =
      locale === undefined || approved === undefined
        ? undefined
        : approvedFor(approved.locales, locale)?.contentSid;
    if (approved === undefined || locale === undefined || sources === undefined || contentSid === undefined) {
      throw new ChannelUnusableError(
        `template "${template.name}" has no approved WhatsApp template for ${chain.join(' → ')}`,
        { code: 'no_template_variant' },
      );
    }
    const run = this.runner(template, input, locale);
    const variables: Record<string, string> = {};
    for (const [name, parsed] of sources) {
      variables[name] = (
        await run.renderParsed(parsed, `whatsapp.approvedTemplate.locales.${locale}.variables.${name}`)
      ).trim();
    }
    const report = checkWhatsAppVariables(
      approved.parameters.map((parameter) => parameter.name),
      variables,
    );
    run.enforce(report);
    return {
      ...run.result({ whatsappTemplate: { contentSid, variables } }, report.warnings),
      whatsappForm: WhatsAppForm.TEMPLATE,
    };
  }

  private variantLocale(template: CompiledTemplate, input: RenderInput, mainFile: string): string {
    const locale = this.findVariantLocale(template, input.customer, mainFile);
    if (locale === undefined) {
      throw new ChannelUnusableError(
        `template "${template.name}" has no ${input.channel} variant in any locale`,
        {
          code: 'no_template_variant',
        },
      );
    }
    return locale;
  }

  private findVariantLocale(
    template: CompiledTemplate,
    customer: Customer,
    mainFile: string,
  ): string | undefined {
    return localeChain(customer.locale, template.manifest.defaultLocale).find((locale) =>
      template.files.has(`${locale}/${mainFile}`),
    );
  }

  /** Everything one render needs, bound to one template, input and locale variant. */
  private runner(template: CompiledTemplate, input: RenderInput, locale: string) {
    const { request, customer, channel } = input;
    const settings: FormatSettings = {
      locale: customer.locale ?? locale,
      timeZone: customer.timezone ?? this.defaultTimeZone,
      currency: currencyOf(request.data) ?? this.defaultCurrency,
    };
    const scope: Scope = {
      data: request.data ?? {},
      customer: customerVariables(customer, locale, settings.timeZone),
      category: request.category,
      channel,
      locale,
      now: input.now.toISOString(),
      brand: this.compiler.brand ?? {},
    };
    const where = (file: string) => `template "${template.name}" (${file})`;
    const renderWith = async (
      engine: Liquid,
      parsed: Template[],
      file: string,
      extra?: Scope,
    ): Promise<string> => {
      try {
        return await engine.render(
          parsed,
          { ...scope, ...extra },
          { globals: { [FORMAT_SETTINGS]: settings } },
        );
      } catch (error) {
        throw new RequestRejectedError([`${where(file)}: ${(error as Error).message}`], { cause: error });
      }
    };
    const parsedFile = (file: string): Template[] => {
      const parsed = template.files.get(`${locale}/${file}`);
      if (parsed === undefined)
        throw new RequestRejectedError([`${where(`${locale}/${file}`)}: file is missing`]);
      return parsed;
    };
    const unsubscribeUrl = async (): Promise<string | undefined> => {
      // Transactional mail is not subscribed to, so it carries no unsubscribe link.
      if (request.category === Category.TRANSACTIONAL || this.compiler.brandUnsubscribe === undefined)
        return undefined;
      return (
        await renderWith(this.compiler.text, this.compiler.brandUnsubscribe, '_brand.json unsubscribeUrl')
      ).trim();
    };
    return {
      has: (file: string) => template.files.has(`${locale}/${file}`),
      text: (file: string) => renderWith(this.compiler.text, parsedFile(file), `${locale}/${file}`),
      html: (file: string) => renderWith(this.compiler.html, parsedFile(file), `${locale}/${file}`),
      renderParsed: (parsed: Template[], label: string) => renderWith(this.compiler.text, parsed, label),
      layout: async (name: string, extra: Scope) => {
        const parsed = this.compiler.layouts.get(name);
        if (parsed === undefined)
          throw new RequestRejectedError([
            `${where('template.json')}: layout "${name}" not found in _layouts/`,
          ]);
        const engine = name.endsWith('.html') ? this.compiler.html : this.compiler.text;
        const url = await unsubscribeUrl();
        return renderWith(
          engine,
          parsed,
          `_layouts/${name}.liquid`,
          url === undefined ? extra : { ...extra, unsubscribeUrl: url },
        );
      },
      enforce: (report: RuleReport) => {
        if (report.errors.length > 0) {
          throw new RequestRejectedError(
            report.errors.map((error) => `${where(`${channel}, ${locale}`)}: ${error}`),
          );
        }
      },
      result: (content: RenderedContent, warnings: readonly string[]): RenderResult => ({
        content,
        template: template.name,
        channel,
        locale,
        warnings,
      }),
    };
  }
}

/** The `customer` variable: the profile fields templates may use, first name and tier lifted from attributes. */
function customerVariables(customer: Customer, locale: string, timezone: string): Scope {
  const variables: Scope = {
    id: customer.customerId,
    locale: customer.locale ?? locale,
    timezone,
    attributes: customer.attributes,
  };
  for (const key of ['firstName', 'lastName', 'tier'] as const) {
    const value = customer.attributes[key];
    // Absent rather than null, so printing it is a missing-variable error instead of a blank.
    if (value !== undefined && value !== null && value !== '') variables[key] = value;
  }
  return variables;
}

function currencyOf(data: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const currency = data?.currency;
  return typeof currency === 'string' && /^[A-Za-z]{3}$/.test(currency) ? currency.toUpperCase() : undefined;
}

function approvedFor<T>(locales: Readonly<Record<string, T>>, canonical: string): T | undefined {
  const key = Object.keys(locales).find((tag) => (canonicalLocale(tag) ?? tag) === canonical);
  return key === undefined ? undefined : locales[key];
}

function merge(...reports: (RuleReport | undefined)[]): RuleReport {
  const present = reports.filter((report): report is RuleReport => report !== undefined);
  return { errors: present.flatMap((r) => r.errors), warnings: present.flatMap((r) => r.warnings) };
}

/** undefined for a ChannelUnusableError, rethrows anything else. */
function unusableAsNone(error: unknown): undefined {
  if (error instanceof ChannelUnusableError) return undefined;
  throw error;
}
