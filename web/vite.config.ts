import { defineConfig, loadEnv } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The server sends a strict Content-Security-Policy (script-src 'self'; style-src 'self'; ...),
// so the build must never inline scripts, styles or fonts into index.html or into data: URLs.
export default defineConfig(({ mode }) => {
  // For `npm run dev` against a local server: PSEA_API=http://127.0.0.1:8080 npm run dev
  const apiOrigin = loadEnv(mode, '.', 'PSEA_').PSEA_API ?? 'http://127.0.0.1:8080';
  return {
    plugins: [svelte()],
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      target: 'es2020',
      // One stylesheet for the whole app: it is small and every view shares the global styles.
      cssCodeSplit: false,
      // The polyfill would be an inline script; every browser we support has modulepreload.
      modulePreload: { polyfill: false },
      // data: URLs (fonts, images) are kept out: every asset stays a real file under 'self'.
      assetsInlineLimit: 0,
      sourcemap: false,
      reportCompressedSize: false,
    },
    server: {
      proxy: { '/api': apiOrigin, '/healthz': apiOrigin },
    },
  };
});
