// Three projects: fast unit tests (fakes only), the rest (real SQLite files, real servers,
// CLI processes), and e2e against the real libvirt lab (scripts/ci/libvirt-lab.sh; suites use
// describeLab from test/helpers/lab.ts). scripts/test.sh decides which engines are present and
// starts the lab; see test/helpers/engines.ts.
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
      testMatch: ['<rootDir>/test/{commands,functional,db,regressions,api}/**/*.test.ts'],
    },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
  ],
};
