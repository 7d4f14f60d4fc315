/**
 * The emulator layer (`npm run test:emulator`): the daily commands, the
 * Terraform modules and fault scenarios applied against moto's server
 * (test-support/emulator.ts). Not part of `npm test`, which stays offline;
 * `.ci/run` runs it after `npm test`.
 */
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/__tests__/emulator'],
  testPathIgnorePatterns: [],
  globalSetup: '<rootDir>/test-support/emulator-global-setup.js',
  globalTeardown: '<rootDir>/test-support/emulator-global-teardown.js',
  // Scenarios apply real stacks: minutes, not seconds.
  testTimeout: 600000,
};
