/**
 * Build configuration. The server runs from TypeScript through tsx; vite builds the browser
 * side (the elements bundle and the demo) as it lands in widget/ and demo/.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
});
