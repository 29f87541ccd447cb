/**
 * The dashboard's build: plain TypeScript and ECharts from node_modules,
 * bundled into web/dist (served by `clvkit serve` at `/`). Nothing is loaded
 * from another host: no CDN, no web fonts, works offline.
 *
 * Build: `npx vite build --config web/vite.config.ts` (from the repository root).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webRoot,
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // one ECharts chunk of ~700 kB is expected (tree-shaken to the charts the report uses)
    chunkSizeWarningLimit: 1200,
    sourcemap: false,
    target: 'es2022',
  },
  server: {
    // the dashboard imports the report's chart builders from ../src/report/charts
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
    proxy: { '/api': 'http://127.0.0.1:8080', '/openapi.json': 'http://127.0.0.1:8080' },
  },
});
