/** Jest runs the TypeScript sources as native ESM through ts-jest. */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }],
  },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  collectCoverageFrom: ['src/**/*.ts', '!src/main.ts', '!src/post.ts', '!src/server.ts', '!src/credential-process.ts'],
  coverageReporters: ['text-summary', 'text', 'lcov'],
  testTimeout: 60000,
  // The default output, then one line naming every skipped suite or test and why (scripts/skipped-reporter.mjs).
  reporters: ['default', '<rootDir>/scripts/skipped-reporter.mjs'],
};
