/** Jest for browser tests (`npm run test:e2e`): headless system Chromium against the local runtime. */
const base = require('./jest.config');
/** @type {import('jest').Config} */
module.exports = { ...base, testMatch: ['**/*.e2e.ts'], testTimeout: 90_000 };
