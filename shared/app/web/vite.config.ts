import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// In development the SPA and the API run as two processes; the proxy makes the browser see one origin,
// exactly as it does in production, where the API (or nginx) serves the built SPA and /api together.
const apiTarget = process.env.API_URL ?? 'http://localhost:3000';
const proxied = { target: apiTarget, changeOrigin: false };

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { '/api': proxied, '/healthz': proxied, '/readyz': proxied },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Hashed file names under dist/assets can be cached forever; index.html must not be.
    assetsDir: 'assets',
  },
});
