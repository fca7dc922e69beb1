import { defineConfig } from 'vitest/config';

// Test layers (DESIGN.md "Test layers"): unit tests need nothing running.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['__tests__/**/*.test.ts'],
        },
      },
    ],
  },
});
