/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import AutoImport from 'unplugin-auto-import/vite'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

// The API during `npm run dev`; the SPA itself always calls same-origin paths.
const backend = process.env.REQFLOW_API_URL ?? 'http://127.0.0.1:5000'
// Socket.IO, when it runs in its own process (docker-compose.dev.yml); else the API's.
const realtime = process.env.REQFLOW_SOCKETIO_URL ?? backend

export default defineConfig({
  base: '/',
  plugins: [
    vue(),
    // Element Plus on demand: only the components, services (ElMessage…) and
    // their CSS that the code actually uses end up in the bundle.
    AutoImport({
      resolvers: [ElementPlusResolver({ importStyle: 'css' })],
      dts: 'src/auto-imports.d.ts',
    }),
    Components({
      dirs: [],
      resolvers: [ElementPlusResolver({ importStyle: 'css' })],
      dts: 'src/components.d.ts',
    }),
  ],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/socket.io': { target: realtime, ws: true, changeOrigin: false },
      '/health': { target: backend, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        // The framework changes less often than the app: its own long-cached chunk.
        codeSplitting: {
          groups: [{ name: 'vue', test: /node_modules[\\/](@vue|vue|vue-router|pinia)[\\/]/ }],
        },
        // Element Plus style entry points would otherwise name shared chunks "css-…".
        chunkFileNames: (chunk) =>
          chunk.name === 'css' ? 'assets/ui-[hash].js' : 'assets/[name]-[hash].js',
        assetFileNames: (asset) =>
          asset.names.some((n) => n.startsWith('css'))
            ? 'assets/ui-[hash][extname]'
            : 'assets/[name]-[hash][extname]',
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.spec.ts'],
    restoreMocks: true,
    server: { deps: { inline: ['element-plus'] } },
  },
})
