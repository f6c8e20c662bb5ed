// One build for the three Electron targets. The node-side bundle also carries the indexer worker
// and the CLI, so `heapscope` and browser mode run the very code the desktop app runs.
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';

const alias = { '@shared': resolve(__dirname, 'electron/shared') };

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    resolve: { alias },
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          'indexer-worker': resolve(__dirname, 'electron/service/worker.ts'),
          cli: resolve(__dirname, 'electron/cli/main.ts'),
        },
        // Shared chunks sit next to the entries: code that finds its worker, package.json or the
        // renderer relative to __dirname must see out/main/ whichever bundle it landed in.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin()],
    resolve: { alias },
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: { index: resolve(__dirname, 'electron/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    resolve: { alias },
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: resolve(__dirname, 'renderer/index.html') },
    },
  },
});
