// The JavaScript a browser downloads before a page is usable, counted in bytes as sent (after
// compression), for the sign-in page and each role's home: at most 150 KB (issue #18). Bytes,
// not time: the same on a busy machine as on an idle one. Each page is opened in a fresh context,
// so nothing comes from the cache.
import { expect, test, type Page, type Response } from "@playwright/test";
import { DEMO_PASSWORD } from "./helpers";

const BUDGET_BYTES = 150 * 1024;

const HOMES = [
  { role: "admin", email: "admin@leadflow.test", heading: "Platform overview" },
  { role: "contractor", email: "owner@bluffcityroofing.test", heading: "Your leads and delivery settings" },
  { role: "network", email: "buyer@homequote.test", heading: "Your pings, bids and wins" },
  { role: "dj", email: "dj@bealestreet.test", heading: "Your lead inbox" },
  { role: "seller", email: "seller@brightpath.test", heading: "Your leads at a glance" },
] as const;

/** Collects every script response of the page; `total` sums their encoded body bytes. */
function countScripts(page: Page) {
  const scripts: Response[] = [];
  page.on("response", (r) => {
    if (r.request().resourceType() === "script") scripts.push(r);
  });
  return {
    async total() {
      let bytes = 0;
      const files: string[] = [];
      for (const r of scripts) {
        const { responseBodySize } = await r.request().sizes();
        const encoding = (await r.allHeaders())["content-encoding"] ?? "identity";
        // Every script over 1 KB is precompressed at build time (smaller ones are not worth it): a
        // plain one means the build or the server regressed.
        if (responseBodySize >= 1024) expect(encoding, r.url()).toMatch(/^(br|gzip)$/);
        expect((await r.allHeaders())["cache-control"], r.url()).toBe("public, max-age=31536000, immutable");
        bytes += responseBodySize;
        files.push(`${new URL(r.url()).pathname} ${encoding} ${responseBodySize} B`);
      }
      return { bytes, files };
    },
  };
}

test("the sign-in page needs at most 150 KB of JavaScript", async ({ page }, info) => {
  const scripts = countScripts(page);
  await page.goto("/login");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  await page.waitForLoadState("networkidle");
  const { bytes, files } = await scripts.total();
  await info.attach("scripts", { body: files.join("\n"), contentType: "text/plain" });
  expect(files.length).toBeGreaterThan(0);
  expect(bytes, files.join("\n")).toBeLessThanOrEqual(BUDGET_BYTES);
});

for (const home of HOMES) {
  test(`the ${home.role}'s home needs at most 150 KB of JavaScript`, async ({ page }, info) => {
    // Signed in through the API, so only the home's own loading is counted.
    const login = await page
      .context()
      .request.post("/trpc/auth.login", { data: { email: home.email, password: DEMO_PASSWORD } });
    expect(login.ok()).toBe(true);
    const scripts = countScripts(page);
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: home.heading })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole("button", { name: "Sign out" })).toBeEnabled();
    // Whatever the home fetches while it first renders counts too.
    await page.waitForLoadState("networkidle");
    const { bytes, files } = await scripts.total();
    await info.attach("scripts", { body: files.join("\n"), contentType: "text/plain" });
    expect(
      // The home's own chunk (homes/*Home, or the seller's pages/sellers/SellerHomePage) was loaded.
      files.some((f) => /Home(Page)?-/.test(f)),
      files.join("\n"),
    ).toBe(true);
    expect(bytes, files.join("\n")).toBeLessThanOrEqual(BUDGET_BYTES);
  });
}
