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
    { name: "desktop", use: { ...devices["Desktop Chrome"], launchOptions } },
    // A Pixel 7 (its touch, mobile viewport and user agent) drawn at one device pixel per CSS
    // pixel, not its 2.625: the layout in CSS pixels is the same, and software rendering (no GPU
    // here) paid for 7 times the pixels on every frame.
    { name: "phone", use: { ...devices["Pixel 7"], deviceScaleFactor: 1, launchOptions } },
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
