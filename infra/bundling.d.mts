import type { BuildOptions, Metafile, Plugin } from 'esbuild';

/** Repository root. */
export const PROJECT_ROOT: string;
/** Replaces zod's locale index with English only. */
export const zodEnglishOnly: Plugin;
/** The esbuild options of one function bundle. */
export function functionBuildOptions(target: { entry: string; outfile: string }): BuildOptions;
/** The folder beside a bundle holding the journey documents. */
export const JOURNEYS_FOLDER: string;
/** Bundles functions/handlers/<handler>.ts into outdir/index.js (templates.json and journeys/ beside it when asked). */
export function bundleFunction(options: {
  handler: string;
  outdir: string;
  withTemplates?: boolean;
  withJourneys?: boolean;
}): Promise<Metafile>;
