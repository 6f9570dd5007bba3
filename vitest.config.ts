import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'shared',
          include: ['src-shared/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'main',
          // scripts/ and build/: the plain-JS helpers of `npm start` and packaging.
          include: [
            'src-main/**/*.test.ts',
            'test/**/*.test.ts',
            'scripts/**/*.test.mjs',
            'build/**/*.test.mjs',
          ],
          environment: 'node',
          pool: 'forks',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'renderer',
          include: ['src-renderer/**/*.test.{ts,tsx}'],
          environment: 'node',
        },
      },
    ],
  },
});
