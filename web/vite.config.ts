import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  // ECharts is one chunk of its own (about 600 kB), loaded only by the pages that chart.
  build: { chunkSizeWarningLimit: 650 },
  server: { proxy: { '/v1': 'http://127.0.0.1:3000', '/health': 'http://127.0.0.1:3000' } },
});
