/**
 * The package's build: ESM (`.mjs`) and CommonJS (`.js`) from one entry, each with its type
 * declarations (`.d.mts`, `.d.ts`), so both `import` and `require` get types that match.
 *
 * tsup (esbuild, plus rollup-plugin-dts for the types) rather than `tsc` twice: the client imports
 * the contract from `functions/contract/`, outside this package, and tsup bundles those modules into
 * the output, JavaScript and types alike. `tsc` would emit them as a tree of files mirroring the
 * repository and would need `.js` extensions in every import for its ESM build. Dependencies
 * (zod, libphonenumber-js, the AWS libraries) stay external: tsup leaves every package named in
 * package.json's dependencies and peerDependencies to the consumer's install.
 *
 * tsup is stable and no longer developed; its successor, tsdown, runs on Node 20 only in releases
 * built on a release candidate of its bundler (rolldown). This config maps onto tsdown's almost
 * key for key when that settles.
 */
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  // Node 20 is the oldest runtime the package supports (package.json `engines`).
  target: 'node20',
  platform: 'node',
  clean: true,
  sourcemap: false,
  // One entry, so there is one copy of each class (ContractValidationError) for `instanceof`.
  splitting: false,
  treeshake: true,
});
