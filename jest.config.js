// @ts-check
/** Two projects: `unit` (specs beside the code, plus test/unit and test/utils) and `e2e`
 * (real Nest apps and sockets). `npm test` runs both; `npm run test:unit` / `test:e2e` pick one. */

const tsJest = {
  // isolatedModules is set in tsconfig.spec.json, so ts-jest transpiles file by file (no type
  // check here: `npm run typecheck` does that once for the whole project).
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
};

/** @type {import('jest').Config} */
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: tsJest,
  // bench/ has its own packages (one named like this one) and built sample output is not a test.
  modulePathIgnorePatterns: ['<rootDir>/bench/', '<rootDir>/dist-sample/', '<rootDir>/coverage/'],
  // Exact datagrams must not depend on the machine's container (origin detection).
  setupFiles: ['<rootDir>/test/utils/host-independent-origin.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 20000,
  // One worker: on CI's two cores a second worker preempts the specs that measure CPU and time
  // (the attributed-CPU concurrency spec failed 1 CI run in 4 that way); serial costs ~25 s.
  maxWorkers: 1,
  collectCoverageFrom: [
    '<rootDir>/lib/**/*.ts',
    '!<rootDir>/lib/**/*.spec.ts',
    '!<rootDir>/lib/index.ts',
  ],
  coverageDirectory: '<rootDir>/coverage',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/lib/**/*.spec.ts',
        '<rootDir>/test/unit/**/*.spec.ts',
        '<rootDir>/test/utils/**/*.spec.ts',
      ],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/utils/global-setup.ts',
      globalTeardown: '<rootDir>/test/utils/global-teardown.ts',
    },
  ],
};
