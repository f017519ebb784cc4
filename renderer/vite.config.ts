import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
// No node:* import: this file is type-checked with the renderer's DOM-only settings.
const here = decodeURIComponent(new URL('.', import.meta.url).pathname).replace(/^\/([A-Za-z]:)/, '$1');

// The renderer is served from a file:// or custom-protocol origin in Electron and from the web
// host in web mode, so every asset URL is relative.
export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  // Fonts must stay separate files (fetched and parsed by opentype.js), never inlined as data URLs
  // that a strict CSP could refuse.
  build: {
    minify: process.env.HOSPUP_NO_MINIFY ? false : 'esbuild',
    outDir: '../dist/renderer',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
  server: { fs: { allow: ['..'] } },
});
