// A DJ on a phone (390 px) hears of an offer and answers it from the message: turns on email in
// the notification settings, a couple's inquiry offers the DJ the lead, the email is in the DJ's
// outbox (no SMTP_URL here), its one-tap link opens the offer after sign-in, and the DJ accepts.
// A link changed by a character says so. Every page is axe clean and never scrolls sideways.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { e2eDatabase } from "./db";
import { DEMO_PASSWORD, signInAt } from "./helpers";

test.use({ viewport: { width: 390, height: 844 } });
test.setTimeout(120_000);

async function checkPage(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
}

test("a DJ turns on email, gets the offer's one-tap link, opens it after sign-in and accepts", async ({
  browser,
  page,
}, info) => {
  test.skip(info.project.name !== "phone", "a phone's story: the desktop run would only repeat it on a wider screen");
  const eventDate = new Date(Date.now() + 150 * 86_400_000).toISOString().slice(0, 10);

  // The DJ turns email on, to an address of their own.
  await signInAt(page, "dj@bealestreet.test", "/notifications");
  await expect(page.getByRole("heading", { name: "How you hear of new offers" })).toBeVisible();
  await checkPage(page);
  await page.getByLabel("Email", { exact: true }).check();
  await page.getByLabel("Email address").fill("offers@bealestreet.test");
  // A half-set quiet span is refused beside its field, and nothing is saved.
  await page.getByLabel("From").fill("22:00");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Give both the start and the end of your quiet hours, or neither.")).toBeVisible();
  await page.getByLabel("From").fill("");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();

  // A couple in Memphis asks for quotes: DJ Beale Street is offered the lead first.
  const couple = await browser.newContext({ ...info.project.use, viewport: { width: 390, height: 844 } });
  const form = await couple.newPage();
  await expect(async () => {
    await form.goto("/inquire");
    await form.getByLabel("City").selectOption("Memphis", { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await form.getByLabel("Your name").fill("Jordan Couple");
  await form.getByLabel("Email", { exact: true }).fill("jordan.couple@example.test");
  await form.getByLabel("Event date").fill(eventDate);
  await form.getByLabel("Budget from ($)").fill("1000");
  await form.getByLabel("Budget up to ($)").fill("2000");
  await form.getByRole("checkbox", { name: /I agree that up to five DJs/ }).check();
  await form.getByRole("button", { name: "Ask DJs for quotes" }).click();
  await expect(form).toHaveURL(/\/compare\//);
  await couple.close();

  // The email is in the DJ's outbox within seconds (sent by the notification queue).
  await page.goto("/outbox");
  await expect(async () => {
    await page.reload();
    await expect(page.getByText(/New lead: wedding in Memphis/).first()).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await checkPage(page);
  const sql = e2eDatabase();
  let link = "";
  try {
    const rows = await sql<{ text: string }[]>`
      select text from email_outbox where "to" = 'offers@bealestreet.test' and kind = 'dj_offer'
      order by created_at desc limit 1`;
    link = /https?:\/\/\S+\/offer\?t=\S+/.exec(rows[0]!.text)![0];
  } finally {
    await sql.end();
  }
  const path = new URL(link).pathname + new URL(link).search;

  // On another phone, signed out: the link survives the sign-in and opens the offer.
  const phone = await browser.newContext({ ...info.project.use, viewport: { width: 390, height: 844 } });
  const dj = await phone.newPage();
  await dj.goto(path);
  await expect(dj).toHaveURL(/\/login\?next=/);
  await expect(dj.getByText("Sign in to open the offer from your message.")).toBeVisible();
  await checkPage(dj);
  await dj.getByLabel("Email", { exact: true }).fill("dj@bealestreet.test");
  await dj.getByLabel("Password").fill(DEMO_PASSWORD);
  await dj.getByRole("button", { name: "Sign in" }).click();
  await expect(dj.getByRole("heading", { name: "Your offer" })).toBeVisible({ timeout: 20_000 });
  await expect(dj.getByTestId("offer-outcome")).toHaveText("Open: yours to answer");
  await checkPage(dj);
  const offer = dj.getByRole("listitem", { name: `Wedding on ${eventDate}` });
  await offer.getByLabel("Your quote ($)").fill("1400");
  await offer.getByRole("button", { name: "Accept" }).click();
  await expect(offer.getByText("You accepted with a quote of $1,400.")).toBeVisible();

  // The same link with one character changed does not open anything, and says why.
  const [p, sig] = new URL(link).searchParams.get("t")!.split(".") as [string, string];
  const changed = `${p}.${sig[0] === "A" ? "B" : "A"}${sig.slice(1)}`;
  await dj.goto(`/offer?t=${encodeURIComponent(changed)}`);
  await expect(dj.getByTestId("link-problem")).toContainText("This link is not valid");
  await checkPage(dj);
  await phone.close();
});
