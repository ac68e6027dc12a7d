// User management (docs/users.md), on a desktop and a phone: the admin adds a user to a seller
// organisation; the user chooses a password from the emailed link (read from the outbox, as the
// email would carry it) and signs in; the admin deactivates them, and their open session is
// refused on its next request; the admin finds the creation and the deactivation in the audit log.
// Every page is axe clean and has no sideways scroll.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { e2eDatabase } from "./db";
import { signIn, signInAt } from "./helpers";

const ADMIN = "admin@leadflow.test";
const SELLER_ORG = "Bright Path Media";

const noSidewaysScroll = async (page: Page) =>
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
const axeClean = async (page: Page) => {
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
};

/** The token of the last link emailed to `email`, polled until the outbox has it. */
async function emailedToken(email: string): Promise<string> {
  const sql = e2eDatabase();
  try {
    let token = "";
    await expect
      .poll(
        async () => {
          const rows = await sql<{ text: string }[]>`
            select text from email_outbox where "to" = ${email} order by created_at desc limit 1`;
          token = /\/reset-password#([A-Za-z0-9_-]+)/.exec(rows[0]?.text ?? "")?.[1] ?? "";
          return token;
        },
        { timeout: 30_000 },
      )
      .not.toBe("");
    return token;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

test("the admin adds a user who signs in, deactivates them, and sees both in the audit log", async ({
  page,
  browser,
  baseURL,
}, info) => {
  const email = `new.seller.${info.project.name}.${Date.now().toString(36)}@example.test`;
  const password = "a long enough password";

  await signInAt(page, ADMIN, "/users");
  await expect(page.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();
  const add = page.getByRole("form", { name: "Add a user" });
  // The browser's checks run before anything is sent.
  await add.getByRole("button", { name: "Add user" }).click();
  await expect(add.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await add.getByLabel("Organisation").selectOption({ label: `${SELLER_ORG} (Lead seller)` });
  await add.getByLabel("Email").fill(email);
  await add.getByLabel("Name").fill("Nell Newcomer");
  await expect(add.getByLabel("Role")).toHaveValue("seller");
  await add.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByRole("status").filter({ hasText: "User added" })).toBeVisible();
  const row = page.locator(`[data-user="${email}"]`);
  await expect(row).toBeVisible();
  await noSidewaysScroll(page);
  await axeClean(page);

  // The new user, in a browser of their own, opens the link and chooses a password.
  const theirs = await browser.newContext({ ...info.project.use, baseURL });
  const user = await theirs.newPage();
  await user.goto(`/reset-password#${await emailedToken(email)}`);
  await expect(user.getByRole("heading", { name: "Choose your password" })).toBeVisible();
  await axeClean(user);
  await noSidewaysScroll(user);
  await user.getByLabel("New password", { exact: true }).fill(password);
  await user.getByLabel("New password again").fill(password);
  await user.getByRole("button", { name: "Set password" }).click();
  await expect(user.getByRole("heading", { name: "Password set" })).toBeVisible();
  await signIn(user, email, password);
  await expect(user.getByText(SELLER_ORG).first()).toBeVisible();

  // The admin deactivates them: the user's open session is refused on its next request.
  page.once("dialog", (d) => void d.accept());
  await row.getByRole("button", { name: `Deactivate ${email}` }).click();
  await expect(page.getByRole("status").filter({ hasText: "User deactivated" })).toBeVisible();
  await expect(row).toBeHidden();
  expect((await user.request.get("/trpc/auth.whoami")).status()).toBe(401);
  await user.reload();
  await expect(user.getByRole("heading", { name: "Sign in to LeadFlow" })).toBeVisible();
  // And signing in again answers as a wrong password would.
  await user.getByLabel("Email").fill(email);
  await user.getByLabel("Password").fill(password);
  await user.getByRole("button", { name: "Sign in" }).click();
  await expect(user.getByRole("alert")).toContainText("don't match an account", { timeout: 20_000 });
  await theirs.close();

  // The audit log names both changes and the user they were about.
  await page.goto("/audit");
  await page.getByLabel("Entity").selectOption({ label: "User" });
  await page.getByRole("button", { name: "Show entries" }).click();
  const entries = page.getByRole("row").filter({ hasText: email });
  await expect(entries.filter({ hasText: "User created" })).toHaveCount(1);
  await expect(entries.filter({ hasText: "User deactivated" })).toHaveCount(1);
  await noSidewaysScroll(page);
  await axeClean(page);
});

test("everyone changes their own password on the account page", async ({ page }) => {
  await signInAt(page, ADMIN, "/account");
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  const form = page.getByRole("form", { name: "Change password" });
  await form.getByLabel("Current password").fill("not my password");
  await form.getByLabel("New password", { exact: true }).fill("short");
  await form.getByLabel("New password again").fill("short");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByLabel("New password", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await form.getByLabel("New password", { exact: true }).fill("a long enough password");
  await form.getByLabel("New password again").fill("a long enough password");
  await form.getByRole("button", { name: "Change password" }).click();
  // The wrong current password is refused by the server; the demo password stays as it was.
  await expect(form.getByLabel("Current password")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByText("That is not your current password.")).toBeVisible();
  await noSidewaysScroll(page);
  await axeClean(page);
});
