/**
 * TemplateCompiler: turns a loaded template set into parsed, checked templates. Each template is
 * compiled (manifest checked, Liquid parsed) on first use rather than all at once: that parse was
 * most of the router's cold start (docs/BENCHMARKS.md, "Cold start"), and a router uses a few
 * templates per container. `problems()` and `templateNames` compile them all, so
 * `templates check` sees every one. Rendering is template-renderer.ts's job.
 */
import type { Liquid, Template } from 'liquidjs';
import { RequestRejectedError } from '../errors';
import { createLiquidEngine } from './liquid-engine';
import { canonicalLocale } from './locale-fallback';
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

/** Why a template set cannot be used as it is, one line per problem. */
export interface TemplateProblem {
  /** The template's name, or `_brand` / `_layouts/...` / `_partials` for shared files. */
  readonly template: string;
  readonly message: string;
}

/** A template ready to render: its checked manifest and its parsed Liquid. */
export interface CompiledTemplate {
  readonly name: string;
  readonly manifest: TemplateManifest;
  /** Parsed Liquid by path relative to the template folder (`fr/sms.liquid`). */
  readonly files: ReadonlyMap<string, Template[]>;
  /** Parsed approved WhatsApp variables, by canonical locale then parameter name. */
  readonly whatsappVariables: ReadonlyMap<string, ReadonlyMap<string, Template[]>>;
}

/** Compiles a template set's templates on first use and its shared files (partials, layouts, brand) once. */
export class TemplateCompiler {
  /** The engine for HTML (email bodies and HTML layouts): output is escaped. */
  readonly html: Liquid;
  /** The engine for text (SMS, WhatsApp, push, subjects, text layouts). */
  readonly text: Liquid;
  /** Parsed layouts by name (`default.html`, `default.text`), once the shared files are checked. */
  readonly layouts = new Map<string, Template[]>();
  private readonly compiled = new Map<string, CompiledTemplate>();
  private readonly broken = new Map<string, string[]>();
  /** Templates not compiled yet. */
  private readonly pending = new Map<string, TemplateSource>();
  /** Partials, layouts and brand, parsed and checked on first need (see {@link checkShared}). */
  private shared: TemplateSet | undefined;
  private readonly sharedProblems: TemplateProblem[] = [];
  private brandData: Brand | undefined;
  private brandUnsubscribeUrl: Template[] | undefined;

  constructor(set: TemplateSet) {
    this.html = createLiquidEngine(set.partials, true);
    this.text = createLiquidEngine(set.partials, false);
    this.shared = set;
    for (const [name, source] of Object.entries(set.templates)) this.pending.set(name, source);
  }

  /** The brand (`_brand.json`), once the shared files are checked. */
  get brand(): Brand | undefined {
    return this.brandData;
  }

  /** The brand's parsed unsubscribe URL, once the shared files are checked. */
  get brandUnsubscribe(): Template[] | undefined {
    return this.brandUnsubscribeUrl;
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

  private compilePending(name: string): void {
    const source = this.pending.get(name);
    if (source === undefined) return;
    this.pending.delete(name);
    this.compile(name, source.manifest, source.files);
  }

  private compileAll(): void {
    for (const name of [...this.pending.keys()]) this.compilePending(name);
  }

  /** The compiled template by name; throws RequestRejectedError when it is missing, unknown or broken. */
  find(name: string | undefined): CompiledTemplate {
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
      this.brandData = brand.data;
      this.brandUnsubscribeUrl = this.tryParse(
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

  /** Checks the shared files once; throws RequestRejectedError when any of them is broken. */
  requireUsableShared(): void {
    this.checkShared();
    if (this.sharedProblems.length > 0) {
      throw new RequestRejectedError(this.sharedProblems.map((problem) => problem.message));
    }
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
