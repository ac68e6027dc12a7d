// A page whose code cannot be downloaded (the phone lost its connection, or a release replaced the
// old chunks) says so and offers a reload, instead of leaving a blank page (issue 18).
import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

test("a page whose code fails to download says what to do, and reloading brings it", async ({ page }) => {
  await signIn(page, "seller@brightpath.test");
  // Only the API keys page's own chunk fails; the shell and the home already loaded.
  await page.route(/\/assets\/ApiKeysPage-[^/]*\.js$/, (route) => route.abort("internetdisconnected"));
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API keys" }).click();
  const failed = page.getByRole("alert").filter({ has: page.getByRole("heading", { name: "This page did not load" }) });
  await expect(failed).toBeVisible();
  await expect(failed).toContainText("check your connection");
  // The rest of the dashboard still works: the menu is there.
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();

  await page.unroute(/\/assets\/ApiKeysPage-[^/]*\.js$/);
  await failed.getByRole("button", { name: "Reload the page" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
});
