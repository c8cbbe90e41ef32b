/**
 * How every Switchboard Lambda is bundled: one definition, used by the CDK stack (through
 * `node infra/bundling.mjs <handler> <outdir>` from the function's local bundling) and by the
 * cold-start benchmark (bench/bundles.ts), so the benchmark measures exactly what is deployed.
 *
 * Why not NodejsFunction's own bundling: two things that make cold starts fit the target need an
 * esbuild plugin, which NodejsFunction cannot take (it drives the esbuild CLI):
 *
 * - The AWS SDK is bundled from its ES module builds (`mainFields: module, main`) instead of being
 *   left to the runtime's copy. esbuild then keeps only what the clients use, in one file: about
 *   370 KB, and it loads in roughly two thirds of the time the runtime's hundreds of CommonJS files
 *   take (measured in docs/BENCHMARKS.md, "Cold start"). It also pins the SDK version to the lock file.
 * - zod's classic API re-exports every locale as a namespace (`export * as locales`), which esbuild
 *   cannot tree-shake: 258 KB of 40-odd languages in every function. Switchboard's messages are
 *   English only, and zod configures English itself, so the plugin resolves zod's locale index to a
 *   module exporting `en` alone (the workaround zod's own issue tracker documents:
 *   colinhacks/zod#6050, #5665).
 *
 * And `"sideEffects": false` in package.json lets esbuild drop whole modules of ours that a function
 * imports through a barrel but never uses: the senders import `functions/contract`, yet only the
 * API and the router keep customer.ts and with it libphonenumber-js's 190 KB of metadata.
 *
 * Plain ESM JavaScript, so the CDK app can run it with the machine's `node` during synthesis.
 */
import { cpSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Repository root. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Replaces zod's locale index with English only (see the header). */
export const zodEnglishOnly = {
  name: 'zod-english-only',
  /** @param {import('esbuild').PluginBuild} pluginBuild */
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.(c?js|mjs)$/ }, (args) => ({
      contents: args.path.endsWith('.cjs')
        ? 'module.exports.en = require("./en.cjs").default;'
        : 'export { default as en } from "./en.js";',
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

/**
 * Replaces mime-db's table (134 KB of JSON) with an empty one. Only form-data reads it, through
 * mime-types, to guess the type of a file appended to a multipart body without one; axios bundles
 * form-data for that, and `@sendgrid/mail` bundles axios. No Switchboard function sends multipart:
 * SendGrid's Mail Send is one JSON POST. Without the table a guess falls back to
 * application/octet-stream, which nothing here can reach.
 */
export const mimeDbEmpty = {
  name: 'mime-db-empty',
  /** @param {import('esbuild').PluginBuild} pluginBuild */
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]mime-db[\\/]db\.json$/ }, () => ({ contents: '{}', loader: 'json' }));
  },
};

/**
 * The esbuild options of one function bundle.
 * @param {{ entry: string, outfile: string }} target
 * @returns {import('esbuild').BuildOptions}
 */
export function functionBuildOptions({ entry, outfile }) {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    // ES module builds first: tree-shakable, and the AWS SDK's are much faster to load (see header).
    mainFields: ['module', 'main'],
    // Source maps beside the bundle for `--enable-source-maps`; not inlined, so loading the bundle
    // does not parse them until an error's stack is printed.
    sourcemap: true,
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'error',
    metafile: true,
    plugins: [zodEnglishOnly, mimeDbEmpty],
  };
}

/**
 * Bundles one handler (functions/handlers/<handler>.ts) into `outdir/index.js`, with the
 * repository's templates/ beside it when asked.
 * @param {{ handler: string, outdir: string, withTemplates?: boolean }} options
 * @returns {Promise<import('esbuild').Metafile>}
 */
export async function bundleFunction({ handler, outdir, withTemplates = false }) {
  const result = await build(
    functionBuildOptions({
      entry: join(PROJECT_ROOT, 'functions', 'handlers', `${handler}.ts`),
      outfile: join(outdir, 'index.js'),
    }),
  );
  // Templates are data read at run time (functions/adapters/template-files.ts falls back to
  // $LAMBDA_TASK_ROOT/templates), so they travel as files beside the bundle.
  if (withTemplates) cpSync(join(PROJECT_ROOT, 'templates'), join(outdir, 'templates'), { recursive: true });
  return /** @type {import('esbuild').Metafile} */ (result.metafile);
}

// `node infra/bundling.mjs <handler> <outdir> [--templates]`: what the CDK stack runs.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [handler, outdir] = process.argv.slice(2);
  if (!handler || !outdir) {
    console.error('usage: node infra/bundling.mjs <handler> <outdir> [--templates]');
    process.exit(2);
  }
  bundleFunction({ handler, outdir, withTemplates: process.argv.includes('--templates') }).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
