// Time to content on the admin's analytics pages (issue #18 asks for at most 1.5 s): a fresh
// database with the demo world and its 30 days of history, the built dashboard served by the real
// server, and headless Chromium opening each page RUNS times. Printed, not asserted: wall-clock
// figures belong in docs/benchmarks.md, never in a test (README, Working on it).
//
//   node scripts/pnpm.mjs --filter @leadflow/dashboard build && npm run bench:ttc
//
// "cold": a new browser context (empty cache), as the first visit after a deploy; "warm": the same
// context again, so the immutable hashed files come from the cache and only the data is fetched.
// The time runs from navigation start to the first chart's SVG (or, with no rows, its empty text)
// being visible.
import { createTestDb } from "@leadflow/db/testing";
import { chromium, type BrowserContext } from "@playwright/test";
import { loadConfig, startServer } from "@leadflow/server";
import { seedDemo } from "@leadflow/tooling";

const RUNS = Number(process.env.TTC_RUNS ?? 7);
const PORT = Number(process.env.TTC_PORT ?? process.env.E2E_PORT ?? 3299);
const PAGES = ["/analytics/lost-reasons", "/analytics/buyers", "/analytics/revenue", "/analytics/marketplace"];

const t = await createTestDb({ max: 4 });
try {
  await seedDemo(t.db, () => {}, { history: true });
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: t.url,
    PORT: String(PORT),
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    LOGIN_RATE_LIMIT: "1000",
  });
  const server = await startServer(config);
  const base = `http://127.0.0.1:${PORT}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu"],
  });
  try {
    const newContext = async () => {
      const ctx = await browser.newContext({ baseURL: base });
      const r = await ctx.request.post("/trpc/auth.login", {
        data: { email: "admin@leadflow.test", password: "leadflow-demo" },
      });
      if (!r.ok()) throw new Error(`sign-in failed: ${r.status()}`);
      return ctx;
    };
    const timeOnce = async (ctx: BrowserContext, path: string) => {
      const page = await ctx.newPage();
      await page.goto(path, { waitUntil: "commit" });
      await page
        .locator("main .chart svg, main .chart-card .empty")
        .first()
        .waitFor({ state: "visible", timeout: 60_000 });
      // From the navigation's start, as the browser recorded it.
      const ms = await page.evaluate(() => performance.now());
      await page.close();
      return ms;
    };
    // One untimed visit per page: the server's first queries warm PostgreSQL's caches.
    const warmup = await newContext();
    for (const p of PAGES) await timeOnce(warmup, p);
    await warmup.close();

    const rows: string[] = [];
    for (const path of PAGES) {
      const cold: number[] = [];
      const warm: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const ctx = await newContext();
        cold.push(await timeOnce(ctx, path));
        warm.push(await timeOnce(ctx, path));
        await ctx.close();
      }
      rows.push(`| ${path} | ${fmt(cold)} | ${fmt(warm)} |`);
    }
    process.stdout.write(
      `time to first chart, ${RUNS} runs each, median / p95 in ms\n| page | cold cache | warm cache |\n|---|---|---|\n${rows.join("\n")}\n`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
} finally {
  await t.drop();
}

function fmt(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
  return `${Math.round(q(0.5))} / ${Math.round(q(0.95))}`;
}
