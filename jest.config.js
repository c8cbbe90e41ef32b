/** Jest: every test file, unit to integration, through @swc/jest. The emulators start once for the run. */
// Node 20 is supported locally (Lambda runs 24); the SDK's notice about that is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/packages/client/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // The client package's TypeScript source, as tsconfig.json `paths` maps it for tsc, tsx and esbuild:
  // tests need no build of the package, and import the same copy as the code they test.
  moduleNameMapper: { '^@switchboard/client$': '<rootDir>/packages/client/src/index.ts' },
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  testTimeout: 30_000,
  // On a 2-core machine jest runs the files in its own process (one worker), so one handle a test
  // leaves open (a stream poller not stopped, say) keeps the run from ending after every test has
  // passed. A safety net for CI: the emulators are stopped by global teardown either way.
  forceExit: true,
};
