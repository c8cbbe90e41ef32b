/** Jest for `npm run test:chaos`: the fault-injection suite (test/chaos/*.chaos.ts), N from CHAOS_N. */
const base = require('./jest.config.js');
/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/chaos'],
  testMatch: ['**/*.chaos.ts'],
  testTimeout: 300_000,
  // One run at a time: the suites patch the process-wide AWS SDK client prototype.
  maxWorkers: 1,
};
