import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// In development the API runs on :3000 (pnpm --filter @leadflow/server start); in production the
// server serves this build itself, so the paths are the same.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { "/trpc": "http://127.0.0.1:3000", "/api": "http://127.0.0.1:3000" },
  },
  build: { outDir: "dist", sourcemap: false, chunkSizeWarningLimit: 700 },
});
