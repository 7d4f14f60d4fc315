/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // The emulator layer (jest.emulator.config.js, npm run test:emulator) needs moto's server: not part of npm test.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/__tests__/emulator/'],
  transform: {
    // Transpile only: `npm test` type-checks once with `tsc --noEmit -p tsconfig.json`. tsconfig.json sets
    // isolatedModules, so ts-jest 29.4 compiles each file alone with ts.transpileModule (no language service,
    // no type information); its own `isolatedModules` option is deprecated in favour of that tsconfig setting.
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
  },
  setupFilesAfterEnv: ['<rootDir>/setup.js'],
  // Jest's default on 2 cores is 1 worker (cores - 1). The terraform and synth suites mostly wait on child
  // processes, so a second worker keeps both cores busy.
  maxWorkers: 2,
  // Suites that run terraform or the cdktf CLI start first even without jest's timing cache (fresh checkout).
  testSequencer: '<rootDir>/test-support/slow-first-sequencer.js',
  testTimeout: 120000,
};
