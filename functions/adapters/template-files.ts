/**
 * Loads the template set from a folder of files (by default the repository's `templates/`). The
 * domain renderer never touches the file system: it gets the plain TemplateSet this returns, which
 * is also JSON-serialisable, so a bundle can embed it instead of shipping the folder.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { Env } from '../config';
import type { TemplateSet, TemplateSource } from '../domain/templates/template-set';

/** The manifest file that marks a folder as one template. */
export const MANIFEST_FILE = 'template.json';

/** Thrown when the folder cannot be read as a template set (missing folder, malformed JSON). */
export class TemplateFilesError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TemplateFilesError';
  }
}

/**
 * Where templates are read from: `SWITCHBOARD_TEMPLATES_DIR` when set, else the repository's
 * `templates/` when running from source, else `templates/` beside the Lambda bundle.
 */
export function defaultTemplatesDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[Env.TEMPLATES_DIR];
  if (configured !== undefined && configured.trim() !== '') return resolve(configured);
  const repository = resolve(__dirname, '..', '..', 'templates');
  if (existsSync(repository)) return repository;
  return resolve(env.LAMBDA_TASK_ROOT ?? process.cwd(), 'templates');
}

/** Reads every template, layout, partial and the brand under `dir`. */
export function loadTemplateSet(dir: string = defaultTemplatesDir()): TemplateSet {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new TemplateFilesError(`templates folder not found: ${dir}`);
  }
  const brandFile = join(dir, '_brand.json');
  return {
    brand: existsSync(brandFile) ? readJson(brandFile) : undefined,
    layouts: readLiquidFolder(join(dir, '_layouts')),
    partials: readLiquidFolder(join(dir, '_partials')),
    templates: readTemplates(dir),
  };
}

function readTemplates(root: string): Record<string, TemplateSource> {
  const templates: Record<string, TemplateSource> = {};
  const visit = (folder: string): void => {
    if (existsSync(join(folder, MANIFEST_FILE))) {
      const name = relative(root, folder).split(sep).join('/');
      const files: Record<string, string> = {};
      for (const file of listFiles(folder)) {
        const path = relative(folder, file).split(sep).join('/');
        if (path !== MANIFEST_FILE && !path.endsWith('.md')) files[path] = readFileSync(file, 'utf8');
      }
      templates[name] = { manifest: readJson(join(folder, MANIFEST_FILE)), files };
      return;
    }
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      // `_layouts`, `_partials` and other `_` folders are shared, not templates.
      if (entry.isDirectory() && !entry.name.startsWith('_') && !entry.name.startsWith('.')) {
        visit(join(folder, entry.name));
      }
    }
  };
  visit(root);
  return templates;
}

function readLiquidFolder(folder: string): Record<string, string> {
  const sources: Record<string, string> = {};
  if (!existsSync(folder)) return sources;
  for (const file of listFiles(folder)) {
    if (!file.endsWith('.liquid')) continue;
    const name = relative(folder, file).split(sep).join('/').slice(0, -'.liquid'.length);
    sources[name] = readFileSync(file, 'utf8');
  }
  return sources;
}

function listFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TemplateFilesError(`${file}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
}
