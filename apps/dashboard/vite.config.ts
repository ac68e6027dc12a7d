import react from "@vitejs/plugin-react";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { defineConfig, type Plugin } from "vite";

/** Text types worth compressing; images and fonts are already compressed. */
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|map)$/;

/**
 * Writes a .br and a .gz beside every text file of the build, so the server sends them as they
 * are (@fastify/static's preCompressed) instead of compressing on every request or not at all.
 * A dozen lines of node:zlib instead of a plugin dependency: the maintained ones lag Vite majors.
 */
function precompress(): Plugin {
  return {
    name: "leadflow-precompress",
    apply: "build",
    // After writing, so index.html (emitted by Vite's own HTML plugin) is on disk too.
    async writeBundle(options, bundle) {
      const dir = options.dir ?? "dist";
      await Promise.all(
        Object.keys(bundle)
          .filter((name) => COMPRESSIBLE.test(name))
          .map(async (name) => {
            const raw = await readFile(join(dir, name));
            if (raw.length < 1024) return;
            const br = brotliCompressSync(raw, {
              params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
            });
            await writeFile(join(dir, `${name}.br`), br);
            await writeFile(join(dir, `${name}.gz`), gzipSync(raw, { level: 9 }));
          }),
      );
    },
  };
}

// In development the API runs on :3000 (pnpm --filter @leadflow/server start); in production the
// server serves this build itself, so the paths are the same.
export default defineConfig({
  plugins: [react(), precompress()],
  server: {
    proxy: { "/trpc": "http://127.0.0.1:3000", "/api": "http://127.0.0.1:3000" },
  },
  build: { outDir: "dist", sourcemap: false, chunkSizeWarningLimit: 700 },
});
