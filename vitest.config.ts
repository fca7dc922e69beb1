import { defineConfig } from 'vitest/config';

// Three layers: unit tests need nothing; sandbox and e2e tests share one sandbox,
// started once by the global setup (or reused when SANDBOX_STATE names a running one).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['__tests__/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'sandbox',
          include: ['sandbox/__tests__/**/*.test.ts', 'e2e/**/*.test.ts'],
          globalSetup: ['sandbox/vitest-global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        // The sandbox judged by clients nobody here wrote (real kubectl, the AWS CLI, moto); same sandbox.
        test: {
          name: 'conformance',
          include: ['conformance/**/*.test.ts'],
          globalSetup: ['sandbox/vitest-global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
