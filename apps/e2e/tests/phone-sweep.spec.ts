// Every page of every role, and the public pages, on a 390×844 phone: the page never scrolls
// sideways and axe finds nothing serious or critical. The routes come from
// apps/dashboard/src/routes.tsx, so a page added there is swept without editing this file; a route
// with a parameter this file cannot fill fails with a message saying so.
//
// The desktop project sweeps each role's home and the public pages, not every page: the dashboard
// draws the same elements at every width (no script reads the window's size; only styles.css's
// media queries differ), the phone is the narrower and stricter of the two, and what the desktop
// alone shows is the shell around every page (its navigation), which each home carries. Sweeping
// all 80 pages on both projects took 2.5 of the browser tests' 16 minutes for that.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { e2eDatabase } from "./db";
import { signInAt, trpcCall } from "./helpers";

const PHONE = { width: 390, height: 844 };

type RoleKey = "admin" | "contractor" | "network" | "dj" | "seller";
const USERS: Record<RoleKey, string> = {
  admin: "admin@leadflow.test",
  contractor: "owner@bluffcityroofing.test",
  network: "buyer@homequote.test",
  dj: "dj@bealestreet.test",
  seller: "seller@brightpath.test",
};

/** The paths of each role, read from ROLE_ROUTES in routes.tsx (its source, not its bundle). */
function roleRoutes(): Record<string, string[]> {
  const file = fileURLToPath(new URL("../../dashboard/src/routes.tsx", import.meta.url));
  const src = readFileSync(file, "utf8");
  const start = src.indexOf("export const ROLE_ROUTES");
  if (start < 0) throw new Error("routes.tsx no longer exports ROLE_ROUTES: update phone-sweep.spec.ts");
  const body = src.slice(start);
  const out: Record<string, string[]> = {};
  for (const m of body.matchAll(/^ {2}(\w+): \[([\s\S]*?)^ {2}\],?$/gm)) {
    out[m[1]!] = [...m[2]!.matchAll(/path: "([^"]+)"/g)].map((p) => p[1]!);
  }
  return out;
}

const ROUTES = roleRoutes();

test("routes.tsx lists a page for every role this sweep signs in as", () => {
  expect(Object.keys(ROUTES).sort()).toEqual(Object.keys(USERS).sort());
  for (const paths of Object.values(ROUTES)) expect(paths).toContain("/");
});

/** A real id for each route parameter, taken from the seeded rows the signed-in user may open. */
async function fillParams(path: string, role: RoleKey): Promise<string> {
  const params = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  if (params.length === 0) return path;
  if (path !== "/leads/:id")
    throw new Error(`phone-sweep.spec.ts has no seeded id for ${path}: teach fillParams where to find one`);
  const sql = e2eDatabase();
  try {
    const rows =
      role === "admin"
        ? await sql`select l.id from leads l where exists (select 1 from transactions t where t.lead_id = l.id) order by l.received_at desc limit 1`
        : role === "seller"
          ? await sql`select l.id from leads l join users u on u.org_id = l.seller_org_id
              where lower(u.email) = ${USERS[role]} order by l.received_at desc limit 1`
          : await sql`select t.lead_id as id from transactions t join buyers b on b.id = t.buyer_id join users u on u.org_id = b.org_id
            where lower(u.email) = ${USERS[role]} order by t.is_winner desc, t.created_at desc limit 1`;
    const id = rows[0]?.id as string | undefined;
    if (!id) throw new Error(`no seeded lead for ${role} to open ${path}`);
    return path.replace(":id", id);
  } finally {
    await sql.end();
  }
}

interface Finding {
  path: string;
  problem: string;
}

/**
 * Counts the page's requests in flight, so that a sweep can wait until the page's data and chunks
 * have come: nothing in flight for QUIET_MS. (Playwright's "networkidle" waits 500 ms of quiet, a
 * third of each page's sweep.) The live-update stream (/api/live, an EventSource) stays open by
 * design and is not counted.
 */
const QUIET_MS = 150;
function watchRequests(page: Page) {
  let open = 0;
  let lastChange = Date.now();
  const counted = (r: { resourceType(): string }) => r.resourceType() !== "eventsource";
  page.on("request", (r) => {
    if (!counted(r)) return;
    open++;
    lastChange = Date.now();
  });
  const end = (r: { resourceType(): string }) => {
    if (!counted(r)) return;
    open--;
    lastChange = Date.now();
  };
  page.on("requestfinished", end);
  page.on("requestfailed", end);
  return async (path: string) =>
    expect
      .poll(() => open <= 0 && Date.now() - lastChange >= QUIET_MS, {
        message: `${path} stops loading`,
        intervals: [50],
      })
      .toBe(true);
}

/** Open one page, let it settle, then measure its width and ask axe. */
async function sweep(page: Page, path: string, settled: (path: string) => Promise<void>): Promise<Finding[]> {
  const found: Finding[] = [];
  await page.goto(path);
  await expect(page.locator("main h1").first(), `${path} shows a heading`).toBeVisible();
  await settled(path);
  await expect(page.getByText("Loading…"), `${path} finishes loading`).toHaveCount(0);
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  if (scrollWidth > innerWidth) {
    // Name the widest offenders so the report says what to fix, not just that something is wide.
    const wide = await page.evaluate(() => {
      const w = window.innerWidth;
      return [...document.querySelectorAll("main *")]
        .filter((el) => el.getBoundingClientRect().right > w + 1)
        .slice(0, 3)
        .map(
          (el) => `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(" ").join(".")}` : ""}`,
        );
    });
    found.push({ path, problem: `page is ${scrollWidth}px wide in a ${innerWidth}px window (${wide.join(", ")})` });
  }
  // Only the violations are read: axe still runs every rule, but skips gathering the nodes of the
  // passes, which took an eighth of the sweep (80 pages on each of two projects).
  const axe = await new AxeBuilder({ page }).options({ resultTypes: ["violations"] }).analyze();
  for (const v of axe.violations) {
    if (v.impact === "serious" || v.impact === "critical") {
      found.push({
        path,
        problem: `axe ${v.impact} ${v.id}: ${v.help} (${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join("; ")})`,
      });
    }
  }
  return found;
}

test.beforeEach(async ({ page }, info) => {
  if (info.project.name === "phone") await page.setViewportSize(PHONE);
});

for (const role of Object.keys(USERS) as RoleKey[]) {
  test(`every ${role} page fits a phone and passes axe`, async ({ page }, info) => {
    test.skip(info.project.name !== "phone", "every page on the phone; the desktop sweeps the homes (see the top)");
    // About forty pages with axe on each: minutes on a busy machine. The limit only ends a hang.
    test.setTimeout(900_000);
    const settled = watchRequests(page);
    await signInAt(page, USERS[role], "/");
    const found: Finding[] = [];
    for (const route of ROUTES[role] ?? []) found.push(...(await sweep(page, await fillParams(route, role), settled)));
    expect(found, found.map((f) => `${f.path}: ${f.problem}`).join("\n")).toEqual([]);
  });

  test(`the ${role} home and its navigation fit a desktop and pass axe`, async ({ page }, info) => {
    test.skip(info.project.name !== "desktop", "the desktop's own width; the phone sweeps every page");
    const settled = watchRequests(page);
    await signInAt(page, USERS[role], "/");
    const found = await sweep(page, "/", settled);
    expect(found, found.map((f) => `${f.path}: ${f.problem}`).join("\n")).toEqual([]);
  });
}

test("the public pages fit the window and pass axe", async ({ page, request }) => {
  test.setTimeout(600_000);
  const sql = e2eDatabase();
  const [dj] = await sql`select id from djs where is_active order by name limit 1`;
  await sql.end();
  const city = (await trpcCall<{ city: string; state: string | null }[]>(request, "GET", "marketPublic.cities"))[0]!;
  // A comparison page needs a token only its inquiry returns, so send one.
  const eventDate = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10);
  const { comparisonPath } = await trpcCall<{ comparisonPath: string }>(request, "POST", "marketPublic.inquire", {
    name: "Phone Sweep",
    email: "phone.sweep@example.test",
    phone: null,
    city: city.city,
    state: city.state,
    eventType: "birthday",
    eventDate,
    budgetMinDollars: 500,
    budgetMaxDollars: 900,
    guestCount: 40,
    venueName: null,
    notes: null,
    fromCalculator: false,
  });
  const settled = watchRequests(page);
  const found: Finding[] = [];
  for (const path of ["/prices", "/inquire", `/djs/${dj!.id as string}`, comparisonPath, "/login"])
    found.push(...(await sweep(page, path, settled)));
  expect(found, found.map((f) => `${f.path}: ${f.problem}`).join("\n")).toEqual([]);
});
