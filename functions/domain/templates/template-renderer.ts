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
import { createLiquidEngine, FORMAT_SETTINGS, type FormatSettings } from './liquid-engine';
import { canonicalLocale, localeChain } from './locale-fallback';
import {
  type Brand,
  BrandSchema,
  MAIN_VARIANT_FILE,
  type TemplateManifest,
  TemplateManifestSchema,
  type TemplateSet,
  type TemplateSource,
  VARIANT_FILES,
} from './template-set';

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
  readonly whatsappForm?: 'freeform' | 'template';
  /** For SMS: encoding and segment count. */
  readonly sms?: SmsSegments;
  readonly warnings: readonly string[];
}

/** Why a template set cannot be used as it is, one line per problem. */
export interface TemplateProblem {
  /** The template's name, or `_brand` / `_layouts/...` / `_partials` for shared files. */
  readonly template: string;
  readonly message: string;
}

interface CompiledTemplate {
  readonly name: string;
  readonly manifest: TemplateManifest;
  /** Parsed Liquid by path relative to the template folder (`fr/sms.liquid`). */
  readonly files: ReadonlyMap<string, Template[]>;
  /** Parsed approved WhatsApp variables, by canonical locale then parameter name. */
  readonly whatsappVariables: ReadonlyMap<string, ReadonlyMap<string, Template[]>>;
}

type Scope = Record<string, unknown>;

/** Renders template requests for every channel; implements the MessageRenderer port. */
export class TemplateRenderer implements MessageRenderer {
  private readonly html: Liquid;
  private readonly text: Liquid;
  private readonly compiled = new Map<string, CompiledTemplate>();
  private readonly broken = new Map<string, string[]>();
  /**
   * Templates not compiled yet. Each is compiled (manifest checked, Liquid parsed) on first use
   * rather than all in the constructor: that parse was most of the router's cold start
   * (docs/BENCHMARKS.md, "Cold start"), and a router uses a few templates per container.
   * `problems()` and `templateNames` compile them all, so `templates check` sees every one.
   */
  private readonly pending = new Map<string, TemplateSource>();
  /** Partials, layouts and brand, parsed and checked on first need (see {@link checkShared}). */
  private shared: TemplateSet | undefined;
  private readonly layouts = new Map<string, Template[]>();
  private readonly sharedProblems: TemplateProblem[] = [];
  private brand: Brand | undefined;
  private brandUnsubscribe: Template[] | undefined;
  private readonly defaultTimeZone: string;
  private readonly defaultCurrency: string;
  private readonly smsWarnSegments: number;
  private readonly onWarning: ((warning: RenderWarning) => void) | undefined;

  constructor(options: TemplateRendererOptions) {
    this.defaultTimeZone = options.defaultTimeZone ?? 'UTC';
    this.defaultCurrency = options.defaultCurrency ?? 'EUR';
    this.smsWarnSegments = options.smsWarnSegments ?? CHANNEL_LIMITS.smsWarnSegments;
    this.onWarning = options.onWarning;
    const set = options.templates;
    this.html = createLiquidEngine(set.partials, true);
    this.text = createLiquidEngine(set.partials, false);

    this.shared = set;
    for (const [name, source] of Object.entries(set.templates)) this.pending.set(name, source);
  }

  /** Every template's name, sorted. */
  get templateNames(): string[] {
    this.compileAll();
    return [...new Set([...this.compiled.keys(), ...this.broken.keys()])].sort();
  }

  /** The validated manifest of a template, or undefined when it is unknown or broken. */
  manifest(name: string): TemplateManifest | undefined {
    this.compilePending(name);
    return this.compiled.get(name)?.manifest;
  }

  /** Everything wrong with the set that can be told without rendering: manifests, file names, Liquid syntax. */
  problems(): TemplateProblem[] {
    this.checkShared();
    this.compileAll();
    const problems = [...this.sharedProblems];
    for (const [template, messages] of this.broken) {
      for (const message of messages) problems.push({ template, message });
    }
    return problems;
  }

  /** Renders the request's template for the input's channel (the MessageRenderer port). */
  async render(input: RenderInput): Promise<RenderedContent> {
    return (await this.renderDetailed(input)).content;
  }

  /** Renders and also returns the locale used, the WhatsApp form, SMS segments and warnings. */
  async renderDetailed(input: RenderInput): Promise<RenderResult> {
    const template = this.find(input.request.template);
    const { channel } = input;
    if (!template.manifest.channels.includes(channel)) {
      throw new ChannelUnusableError(`template "${template.name}" has no ${channel} variant`, {
        code: 'no_template_variant',
      });
    }
    this.requireUsableShared();
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
            : layout !== false && this.layouts.has(`${layout}.text`)
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

  private async renderWhatsApp(template: CompiledTemplate, input: RenderInput): Promise<RenderResult> {
    const approved = template.manifest.whatsapp.approvedTemplate;
    const freeformLocale = this.findVariantLocale(template, input.customer, MAIN_VARIANT_FILE.whatsapp);
    // Without knowing the window is open, assume closed: freeform outside it is refused by WhatsApp.
    if (input.whatsappWindowOpen === true && freeformLocale !== undefined) {
      const run = this.runner(template, input, freeformLocale);
      const text = (await run.text(VARIANT_FILES.whatsapp.text)).trim();
      const report = checkWhatsAppText(text);
      run.enforce(report);
      return { ...run.result({ text }, report.warnings), whatsappForm: 'freeform' };
    }
    if (approved === undefined) {
      throw new ChannelUnusableError(
        `template "${template.name}" has no approved WhatsApp template for outside the 24-hour window`,
        { code: 'whatsapp_window_closed' },
      );
    }
    const chain = localeChain(input.customer.locale, template.manifest.defaultLocale);
    const locale = chain.find((candidate) => template.whatsappVariables.has(candidate));
    const sources = locale === undefined ? undefined : template.whatsappVariables.get(locale);
    const contentSid = locale === undefined ? undefined : approvedFor(approved.locales, locale)?.contentSid;
    if (locale === undefined || sources === undefined || contentSid === undefined) {
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
      whatsappForm: 'template',
    };
  }

  private compilePending(name: string): void {
    const source = this.pending.get(name);
    if (source === undefined) return;
    this.pending.delete(name);
    this.compile(name, source.manifest, source.files);
  }

  private compileAll(): void {
    for (const name of [...this.pending.keys()]) this.compilePending(name);
  }

  private find(name: string | undefined): CompiledTemplate {
    if (name === undefined) throw new RequestRejectedError(['the request names no template']);
    this.compilePending(name);
    const problems = this.broken.get(name);
    if (problems !== undefined) {
      throw new RequestRejectedError(problems.map((problem) => `template "${name}" is broken: ${problem}`));
    }
    const template = this.compiled.get(name);
    if (template === undefined) throw new RequestRejectedError([`unknown template "${name}"`]);
    return template;
  }

  /** Parses and checks the partials, layouts and brand once, on the first render or problems(). */
  private checkShared(): void {
    const set = this.shared;
    if (set === undefined) return;
    this.shared = undefined;
    for (const [name, source] of Object.entries(set.partials)) {
      this.tryParse(this.text, source, `_partials/${name}.liquid`, (message) =>
        this.sharedProblems.push({ template: '_partials', message }),
      );
    }
    for (const [name, source] of Object.entries(set.layouts)) {
      const engine = name.endsWith('.html') ? this.html : this.text;
      const parsed = this.tryParse(engine, source, `_layouts/${name}.liquid`, (message) =>
        this.sharedProblems.push({ template: `_layouts/${name}`, message }),
      );
      if (parsed) this.layouts.set(name, parsed);
    }
    const brand = BrandSchema.safeParse(set.brand);
    if (brand.success) {
      this.brand = brand.data;
      this.brandUnsubscribe = this.tryParse(
        this.text,
        brand.data.unsubscribeUrl,
        '_brand.json unsubscribeUrl',
        (m) => this.sharedProblems.push({ template: '_brand', message: m }),
      );
    } else {
      this.sharedProblems.push({
        template: '_brand',
        message: `_brand.json: ${brand.error.issues.map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`).join('; ')}`,
      });
    }
  }

  private requireUsableShared(): void {
    this.checkShared();
    if (this.sharedProblems.length > 0) {
      throw new RequestRejectedError(this.sharedProblems.map((problem) => problem.message));
    }
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
      brand: this.brand ?? {},
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
      if (request.category === Category.TRANSACTIONAL || this.brandUnsubscribe === undefined)
        return undefined;
      return (await renderWith(this.text, this.brandUnsubscribe, '_brand.json unsubscribeUrl')).trim();
    };
    return {
      has: (file: string) => template.files.has(`${locale}/${file}`),
      text: (file: string) => renderWith(this.text, parsedFile(file), `${locale}/${file}`),
      html: (file: string) => renderWith(this.html, parsedFile(file), `${locale}/${file}`),
      renderParsed: (parsed: Template[], label: string) => renderWith(this.text, parsed, label),
      layout: async (name: string, extra: Scope) => {
        const parsed = this.layouts.get(name);
        if (parsed === undefined)
          throw new RequestRejectedError([
            `${where('template.json')}: layout "${name}" not found in _layouts/`,
          ]);
        const engine = name.endsWith('.html') ? this.html : this.text;
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

  private compile(name: string, rawManifest: unknown, files: Readonly<Record<string, string>>): void {
    const problems: string[] = [];
    const manifest = TemplateManifestSchema.safeParse(rawManifest);
    if (!manifest.success) {
      this.broken.set(
        name,
        manifest.error.issues.map(
          (issue) => `template.json: ${issue.path.join('.') || '(root)'} ${issue.message}`,
        ),
      );
      return;
    }
    const m = manifest.data;
    const locales = m.locales.map((tag) => canonicalLocale(tag) ?? tag);
    const defaultLocale = canonicalLocale(m.defaultLocale) ?? m.defaultLocale;
    if (!locales.includes(defaultLocale))
      problems.push(`template.json: defaultLocale "${m.defaultLocale}" is not in locales`);
    const knownFiles = new Set(
      m.channels.flatMap((channel) => Object.values(VARIANT_FILES[channel]) as string[]),
    );

    const parsedFiles = new Map<string, Template[]>();
    const present = new Set<string>();
    for (const [path, source] of Object.entries(files)) {
      const [folder, file, ...rest] = path.split('/');
      const locale = folder === undefined ? undefined : canonicalLocale(folder);
      if (file === undefined || rest.length > 0 || locale === undefined || !locales.includes(locale)) {
        problems.push(
          `${path}: files go in a folder named after one of the locales (${m.locales.join(', ')})`,
        );
        continue;
      }
      if (!knownFiles.has(file)) {
        problems.push(
          `${path}: not a file of a declared channel (expected one of ${[...knownFiles].join(', ')})`,
        );
        continue;
      }
      present.add(`${locale}/${file}`);
      const engine = file === VARIANT_FILES.email.html ? this.html : this.text;
      const parsed = this.tryParse(engine, source, path, (message) => problems.push(message));
      if (parsed) parsedFiles.set(`${locale}/${file}`, parsed);
    }

    const approved = m.whatsapp.approvedTemplate;
    for (const channel of m.channels) {
      const main = MAIN_VARIANT_FILE[channel];
      // WhatsApp may be template-only: an approved template and no freeform text.
      if (!present.has(`${defaultLocale}/${main}`) && !(channel === 'whatsapp' && approved !== undefined)) {
        problems.push(`${m.defaultLocale}/${main}: missing; the default locale needs every declared channel`);
      }
      const companion =
        channel === 'email'
          ? VARIANT_FILES.email.subject
          : channel === 'push'
            ? VARIANT_FILES.push.title
            : undefined;
      for (const locale of locales) {
        if (
          companion !== undefined &&
          present.has(`${locale}/${main}`) &&
          !present.has(`${locale}/${companion}`)
        ) {
          problems.push(`${locale}/${companion}: missing; ${locale}/${main} needs it`);
        }
      }
    }
    if (approved !== undefined && !m.channels.includes('whatsapp')) {
      problems.push('template.json: whatsapp.approvedTemplate is set but whatsapp is not in channels');
    }
    const whatsappVariables = new Map<string, Map<string, Template[]>>();
    if (approved !== undefined) {
      const declared = approved.parameters.map((parameter) => parameter.name);
      for (const [tag, entry] of Object.entries(approved.locales)) {
        const locale = canonicalLocale(tag) ?? tag;
        if (!locales.includes(locale))
          problems.push(`template.json: whatsapp.approvedTemplate.locales.${tag} is not in locales`);
        const given = Object.keys(entry.variables);
        const missing = declared.filter((parameter) => !given.includes(parameter));
        const extra = given.filter((variable) => !declared.includes(variable));
        if (missing.length > 0) {
          problems.push(
            `template.json: whatsapp.approvedTemplate.locales.${tag} has no value for parameter(s) ${missing.join(', ')}`,
          );
        }
        if (extra.length > 0) {
          problems.push(
            `template.json: whatsapp.approvedTemplate.locales.${tag} maps undeclared parameter(s) ${extra.join(', ')}`,
          );
        }
        const parsedVariables = new Map<string, Template[]>();
        for (const [parameter, source] of Object.entries(entry.variables)) {
          const parsed = this.tryParse(
            this.text,
            source,
            `template.json whatsapp ${tag} {{${parameter}}}`,
            (message) => problems.push(message),
          );
          if (parsed) parsedVariables.set(parameter, parsed);
        }
        whatsappVariables.set(locale, parsedVariables);
      }
      if (!whatsappVariables.has(defaultLocale)) {
        problems.push(
          `template.json: whatsapp.approvedTemplate.locales has no entry for the default locale ${m.defaultLocale}`,
        );
      }
    }
    if (problems.length > 0) {
      this.broken.set(name, problems);
      return;
    }
    this.compiled.set(name, {
      name,
      manifest: { ...m, locales, defaultLocale },
      files: parsedFiles,
      whatsappVariables,
    });
  }

  private tryParse(
    engine: Liquid,
    source: string,
    label: string,
    report: (message: string) => void,
  ): Template[] | undefined {
    try {
      return engine.parse(source, label);
    } catch (error) {
      report(`${label}: ${(error as Error).message}`);
      return undefined;
    }
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
