// The Outbox: an admin sees a dead email with the mail server's full error and resends it; the
// contractor it was for sees it on its own Emails page in plain words, without the relay's host.
// Both at a phone's 390 px width without sideways scrolling.
import { expect, test, type Page } from "@playwright/test";
import { e2eDatabase } from "./db";
import { signIn, signInAt } from "./helpers";

const CONTRACTOR = "owner@bluffcityroofing.test";
const sql = e2eDatabase();
test.afterAll(async () => sql.end());
test.use({ viewport: { width: 390, height: 844 } });

async function deadEmail(subject: string, responseCode: number | null) {
  const [u] = await sql<{ org_id: string }[]>`select org_id from users where email = ${CONTRACTOR}`;
  await sql`insert into email_outbox (org_id, kind, "to", subject, text, html, message_id, status, attempts, error, response_code)
    values (${u!.org_id}, 'lead', 'owner@bluffcityroofing.test', ${subject}, 'text', '<p>html</p>', ${`<${subject.replace(/\W/g, "")}@e2e.test>`}, 'dead', 10,
            'connect ECONNREFUSED 10.9.8.7:2525 (ESOCKET)', ${responseCode})`;
}

const noSidewaysScroll = async (page: Page) =>
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

test("an admin sees a dead email's full error and resends it", async ({ page }) => {
  const subject = `Outbox admin ${Date.now()}`;
  await deadEmail(subject, null);
  await signInAt(page, "admin@leadflow.test", "/outbox");
  await expect(page.getByRole("heading", { level: 1, name: "Outbox" })).toBeVisible();
  const card = page.getByTestId("outbox-item").filter({ hasText: subject });
  await expect(card).toContainText("not sent after 10 attempts");
  await expect(card).toContainText("ECONNREFUSED 10.9.8.7:2525");
  await noSidewaysScroll(page);
  await card.getByRole("button", { name: /Resend/ }).click();
  await expect(card).toContainText("waiting to send");
  await expect(card.getByRole("button", { name: /Resend/ })).toHaveCount(0);
});

test("a contractor sees its own dead email in plain words, without the relay's host", async ({ page }) => {
  const subject = `Outbox contractor ${Date.now()}`;
  await deadEmail(subject, 550);
  await signIn(page, CONTRACTOR);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Emails" }).click();
  const card = page.getByTestId("outbox-item").filter({ hasText: subject });
  await expect(card).toContainText("The mail server refused the address owner@bluffcityroofing.test");
  await expect(card).not.toContainText("10.9.8.7");
  await expect(card).not.toContainText("2525");
  await noSidewaysScroll(page);
});
