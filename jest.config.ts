/** @jest-config-loader esbuild-register */
import type { Config } from 'jest';

// Tests run TypeScript through SWC. jose ships ESM only, so it is transformed too.
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/shared', '<rootDir>/gateway', '<rootDir>/subgraphs', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: false },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
  // Each test file loads the whole stack into its worker, and a worker is not given back its
  // memory between files: a fresh worker past 512 MB keeps the run's memory bounded. Ending a
  // process of that size takes this machine more than Jest's default half second.
  workerIdleMemoryLimit: '512MB',
  workerGracefulExitTimeout: 5_000,
};

export default config;
