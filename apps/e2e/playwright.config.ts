import { defineConfig, devices } from "@playwright/test";

// Playwright drives Debian's Chromium (apt-get install chromium): its own browser download
// cannot work on these machines. CHROMIUM_PATH overrides the location.
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const port = Number(process.env.E2E_PORT ?? 3199);
const launchOptions = {
  executablePath,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
};

// Each flow runs once, on the device of the person who does most of its file's work: the admin's
// back office at a desk (DESK), the buyers', contractors', DJs', couples' and sellers' pages on a
// phone (every other file). Both projects run BOTH: sign-in, the size budget, the chunk-failure
// fallback and the sweep (every page at 390 px on the phone, each role's home and navigation on the
// desktop). The dashboard draws the same elements at every width (only styles.css's media queries
// differ) and every page is swept at 390 px, so running each flow at both widths checked the same
// thing twice: that was 4 of the browser tests' 15 minutes (2026-12-04).
const BOTH = ["login", "size-budget", "chunk-failure", "phone-sweep"];
const DESK = [
  "analytics",
  "api-reference",
  "buyer-editor",
  "city-windows",
  "insight",
  "live-deliveries-returns",
  "marketplace",
  "overview",
  "settings-forms",
  "users",
];
const specs = (names: string[]) => names.map((n) => `${n}.spec.ts`);

export default defineConfig({
  testDir: "tests",
  outputDir: "artifacts/results",
  // Generous limits: they end a hung test, they do not time a slow machine (README, Working on it).
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
  },
  projects: [
    { name: "desktop", testMatch: specs([...BOTH, ...DESK]), use: { ...devices["Desktop Chrome"], launchOptions } },
    // A Pixel 7 (its touch, mobile viewport and user agent) drawn at one device pixel per CSS
    // pixel, not its 2.625: the layout in CSS pixels is the same, and software rendering (no GPU
    // here) paid for 7 times the pixels on every frame.
    { name: "phone", testIgnore: specs(DESK), use: { ...devices["Pixel 7"], deviceScaleFactor: 1, launchOptions } },
  ],
  webServer: {
    command: "tsx src/serve.ts",
    url: `http://127.0.0.1:${port}/healthz`,
    env: { E2E_PORT: String(port) },
    reuseExistingServer: false,
    timeout: 300_000,
    // SIGTERM, so that serve.ts drops its database: Playwright's default is SIGKILL, which left
    // one database with the demo world in it behind on the tests' PostgreSQL after every run.
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    stdout: "pipe",
    stderr: "pipe",
  },
});
