// The top bar's search in a real browser, on the demo world: a seller finds its lead by the
// homeowner's phone; a network buyer that did not buy that lead finds nothing by the same phone;
// a DJ does not find an inquiry by a phone it has not unlocked, only by its id, with the customer
// hidden. Keyboard only, and no sideways scroll on a phone.
import { expect, test, type Page } from "@playwright/test";
import { e2eDatabase } from "./db";
import { signIn, signInAt } from "./helpers";

let sql: ReturnType<typeof e2eDatabase>;
test.beforeAll(() => {
  sql = e2eDatabase();
});
test.afterAll(async () => {
  await sql?.end();
});

/** Types into the top bar's box and presses Enter, as someone at a keyboard would. */
async function searchFor(page: Page, text: string) {
  await page.getByRole("searchbox", { name: "Search leads" }).focus();
  await page.keyboard.type(text);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Search leads" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: /shown|No leads match/ })).toBeVisible({ timeout: 20_000 });
}

async function noSidewaysScroll(page: Page) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(scroll).toBeLessThanOrEqual(client);
}

test("a seller finds its own lead by phone; a buyer that did not buy it finds nothing", async ({ page, browser }) => {
  // Two sign-ins (scrypt) on a busy machine: a generous limit, not a timing.
  test.setTimeout(240_000);
  // A lead of Bright Path's with a phone that RoofMatch's buyers did not win.
  const [lead] = await sql<{ id: string; phone: string; first: string }[]>`
    select l.id, l.phone_normalized as phone, l.contact->>'firstName' as first
    from leads l join orgs o on o.id = l.seller_org_id
    where o.name = 'Bright Path Media' and l.phone_normalized is not null
      and not exists (select 1 from transactions t join buyers b on b.id = t.buyer_id join orgs bo on bo.id = b.org_id
                      where t.lead_id = l.id and t.is_winner and bo.name = 'RoofMatch Exchange')
    order by l.received_at desc limit 1`;
  expect(lead, "the demo world has such a lead").toBeTruthy();
  const phone = `(${lead!.phone.slice(0, 3)}) ${lead!.phone.slice(3, 6)}-${lead!.phone.slice(6)}`;

  await signIn(page, "seller@brightpath.test");
  await searchFor(page, phone);
  const results = page.getByRole("region", { name: "Search results" });
  await expect(results.getByRole("row").filter({ hasText: lead!.first })).not.toHaveCount(0);
  await noSidewaysScroll(page);

  const buyer = await browser.newPage({ viewport: page.viewportSize() ?? undefined });
  await signIn(buyer, "buyer@roofmatch.test");
  await searchFor(buyer, phone);
  await expect(buyer.getByText("No leads match.")).toBeVisible();
  await buyer.close();
});

test("a DJ cannot find an inquiry by a phone it has not unlocked", async ({ page }) => {
  // The spec's own inquiry, offered to Beale Street and not unlocked.
  const phone = `615555${String(Date.now()).slice(-4)}`;
  const [inquiry] = await sql<{ id: string; phone: string }[]>`
    with m as (
      insert into market_leads (contact, city, event_type, event_date, comparison_token_hash)
      values (${sql.json({ name: "Search Spec Couple", email: null, phone })}, 'Memphis', 'wedding', '2027-06-19', md5(random()::text) || md5(random()::text))
      returning id, contact->>'phone' as phone
    ), a as (
      insert into lead_assignments (lead_id, dj_id, phase, phase_seq, offered_at, window_ends_at)
      select m.id, d.id, 'broadcast', 1, now(), now() + interval '1 day'
      from m, djs d join orgs o on o.id = d.org_id where o.name = 'DJ Beale Street'
    )
    select id, phone from m`;
  expect(inquiry, "the inquiry was written").toBeTruthy();
  await signIn(page, "dj@bealestreet.test");
  await searchFor(page, inquiry!.phone);
  await expect(page.getByText("No leads match.")).toBeVisible();
  // By its id the DJ finds its own offer, with the customer still hidden.
  await page.goto(`/search?q=${inquiry!.id}`);
  const row = page.getByRole("region", { name: "Search results" }).getByRole("row").nth(1);
  await expect(row).toContainText("Hidden until bought or unlocked");
  await expect(row).not.toContainText(inquiry!.phone);
  await noSidewaysScroll(page);
});

test("an admin filters by status with the keyboard and pages through the results", async ({ page }) => {
  await signInAt(page, "admin@leadflow.test", "/search");
  await page.getByLabel("Status").selectOption({ label: "Sold" });
  await page.getByRole("form", { name: "Search filters" }).getByRole("button", { name: "Search" }).press("Enter");
  await expect(page).toHaveURL(/status=SOLD/);
  await expect(page.getByRole("status").filter({ hasText: "shown" })).toBeVisible({ timeout: 20_000 });
  // On a phone each card cell's name starts with its column's label ("Status Sold"); its text is the value.
  const cells = page
    .getByRole("region", { name: "Search results" })
    .getByRole("cell", { name: /(?:^|\s)(Sold|Unsold|Received|Rejected|In auction)$/ });
  await expect(cells.first()).toBeVisible();
  expect(new Set(await cells.allTextContents())).toEqual(new Set(["Sold"]));
  await noSidewaysScroll(page);
});
