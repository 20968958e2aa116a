/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// No React plugin: the TSX transform alone (automatic JSX runtime) is all the app needs.
export default defineConfig({
  build: {
    outDir: 'dist',
    // Static hosting only; keep the output easy to cache by hashed names.
    assetsDir: 'assets',
    sourcemap: false,
    rolldownOptions: {
      onwarn(warning, warn) {
        // React Query marks modules "use client" for server-component bundlers; meaningless in an SPA.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    restoreMocks: true,
    // A busy machine (shared by parallel builds) can take seconds for a page with a long form.
    testTimeout: 20_000,
    reporters: ['default', './src/test/countReporter.ts'],
  },
});
