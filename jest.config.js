// Two projects: fast unit tests (fakes only) and the rest (real SQLite files, real servers,
// CLI processes). scripts/test.sh decides which engines are present; see test/helpers/engines.ts.
const base = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
};
module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/{commands,functional,db,regressions}/**/*.test.ts'],
    },
  ],
};
