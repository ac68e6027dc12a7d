// The auction's demo: verticals with floors, the networks the buyer simulator hosts (spread over
// the demo network organisations) and the demo contractors with their metros' zips. Ids, formats
// and webhook secrets match apps/buyer-sim/src/demo-config.ts so the demo runs against it as is.
import { buyerZips, buyers, verticals, type Db } from "@leadflow/db";
import {
  buyerColumns,
  buyerInputSchema,
  type ContractorInput,
  type NetworkInput,
  settingsProblems,
} from "@leadflow/api";
import type { SeedContext, SeedStep } from "./seed";
import { DEMO_ORGS, METROS, type MetroKey } from "./world";

export const DEFAULT_BUYER_SIM_URL = "http://127.0.0.1:4100";

export const DEMO_VERTICALS = [
  { key: "roofing", name: "Roofing", floorCents: 1500 },
  { key: "solar", name: "Solar", floorCents: 2500 },
  { key: "hvac", name: "HVAC", floorCents: 1200 },
  { key: "windows", name: "Windows", floorCents: 1000 },
  { key: "plumbing", name: "Plumbing", floorCents: 800 },
];

const ALL_ZIPS = Object.values(METROS).flatMap((m) => m.zips);
const zipsOf = (...metros: MetroKey[]) => metros.flatMap((m) => METROS[m].zips);
const weekdays = (from: string, to: string) =>
  Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [[from, to] as [string, string]]]));
/** The sim's "nested" answer: {"result":{"price_cents":…}} and {"status":"accepted"|"rejected","message":…}. */
const NESTED = {
  bidPath: "result.price_cents",
  bidUnit: "cents" as const,
  acceptedPath: "status",
  reasonPath: "message",
};

interface NetSpec {
  org: string;
  sim: string;
  name: string;
  minBidCents: number;
  verticals: string[];
  zips?: string[];
  nested?: boolean;
  compliance?: NetworkInput["compliance"];
  capDaily?: number;
  hours?: NetworkInput["hours"];
  timeZone?: string;
}

const NETWORKS: NetSpec[] = [
  {
    org: "net-homequote",
    sim: "apex-home-leads",
    name: "Apex Home Leads",
    minBidCents: 1500,
    verticals: ["roofing", "solar", "hvac"],
  },
  {
    org: "net-homequote",
    sim: "blue-ridge-media",
    name: "Blue Ridge Media",
    minBidCents: 1200,
    verticals: ["roofing", "windows"],
    nested: true,
    compliance: ["TRUSTED_FORM"],
  },
  {
    org: "net-homequote",
    sim: "cornerstone-roofing-net",
    name: "Cornerstone Roofing Net",
    minBidCents: 2500,
    verticals: ["roofing"],
    zips: zipsOf("memphis", "nashville"),
    capDaily: 40,
    hours: weekdays("07:00", "20:00"),
  },
  {
    org: "net-homequote",
    sim: "direct-pro-exchange",
    name: "Direct Pro Exchange",
    minBidCents: 1000,
    verticals: ["roofing", "hvac", "plumbing"],
  },
  {
    org: "net-roofmatch",
    sim: "everlead-partners",
    name: "EverLead Partners",
    minBidCents: 1800,
    verticals: ["roofing", "solar"],
    compliance: ["JORNAYA"],
  },
  {
    org: "net-roofmatch",
    sim: "fastbid-network",
    name: "FastBid Network",
    minBidCents: 800,
    verticals: ["roofing", "hvac", "windows", "plumbing"],
  },
  {
    org: "net-roofmatch",
    sim: "granite-lead-co",
    name: "Granite Lead Co",
    minBidCents: 1500,
    verticals: ["roofing", "solar"],
    nested: true,
    zips: zipsOf("atlanta", "denver"),
  },
  {
    org: "net-pronet",
    sim: "harbor-quote-hub",
    name: "Harbor Quote Hub",
    minBidCents: 1500,
    verticals: ["roofing", "windows"],
    timeZone: "America/New_York",
  },
  {
    org: "net-pronet",
    sim: "ironclad-leads",
    name: "Ironclad Leads",
    minBidCents: 2000,
    verticals: ["roofing", "solar", "hvac"],
    capDaily: 60,
  },
  {
    org: "net-pronet",
    sim: "juniper-marketplace",
    name: "Juniper Marketplace",
    minBidCents: 1000,
    verticals: ["roofing", "hvac", "solar", "windows", "plumbing"],
  },
];

/** The sim's demo secrets (see demoBuyerSimConfig): the CRM verifies signatures with the same one. */
const simSecret = (name: string) => `whsec_${Buffer.from(`leadflow-demo-${name}-secret`).toString("base64")}`;

interface ConSpec {
  org: string;
  metro: MetroKey;
  name: string;
  crm?: string;
  settings: Pick<
    ContractorInput,
    | "deliveryMode"
    | "maxSharedLeads"
    | "pricingModel"
    | "fixedLeadPriceCents"
    | "maxBidCents"
    | "sharedPriceCents"
    | "deliveryMethods"
    | "capDaily"
    | "capWeekly"
    | "capMonthly"
  > &
    Partial<ContractorInput>;
}

const CONTRACTORS: ConSpec[] = [
  {
    org: "con-bluff",
    metro: "memphis",
    name: "Bluff City Roofing",
    crm: "summit-roofing",
    settings: {
      verticals: ["roofing"],
      deliveryMode: "EXCLUSIVE",
      maxSharedLeads: 3,
      pricingModel: "AUCTION",
      fixedLeadPriceCents: null,
      maxBidCents: 4500,
      sharedPriceCents: null,
      deliveryMethods: ["WEBHOOK", "DASHBOARD"],
      capDaily: 15,
      capWeekly: 60,
      capMonthly: 200,
      hours: { ...weekdays("07:00", "19:00"), sat: [["08:00", "14:00"]] },
    },
  },
  {
    org: "con-music-city",
    metro: "nashville",
    name: "Music City Roof & Gutter",
    crm: "riverbend-solar",
    settings: {
      verticals: ["roofing"],
      deliveryMode: "SHARED",
      maxSharedLeads: 3,
      pricingModel: "FIXED",
      fixedLeadPriceCents: 3000,
      maxBidCents: null,
      sharedPriceCents: null,
      deliveryMethods: ["EMAIL", "DASHBOARD"],
      capDaily: 20,
      capWeekly: null,
      capMonthly: null,
    },
  },
  {
    org: "con-peach",
    metro: "atlanta",
    name: "Peach State Exteriors",
    crm: "peak-hvac",
    settings: {
      verticals: ["roofing", "windows"],
      deliveryMode: "EXCLUSIVE",
      maxSharedLeads: 2,
      pricingModel: "HYBRID",
      fixedLeadPriceCents: null,
      maxBidCents: 5000,
      sharedPriceCents: 2800,
      deliveryMethods: ["WEBHOOK", "EMAIL", "DASHBOARD"],
      capDaily: 10,
      capWeekly: 50,
      capMonthly: null,
    },
  },
  {
    org: "con-midsouth",
    metro: "memphis",
    name: "MidSouth Storm Repair",
    crm: "northstar-windows",
    settings: {
      verticals: ["roofing"],
      deliveryMode: "SHARED",
      maxSharedLeads: 2,
      pricingModel: "FIXED",
      fixedLeadPriceCents: 2500,
      maxBidCents: null,
      sharedPriceCents: null,
      deliveryMethods: ["WEBHOOK", "DASHBOARD"],
      capDaily: 8,
      capWeekly: null,
      capMonthly: 150,
      hours: weekdays("08:00", "18:00"),
    },
  },
  {
    org: "con-midsouth",
    metro: "memphis",
    name: "MidSouth Comfort HVAC",
    crm: "oakline-plumbing",
    settings: {
      verticals: ["hvac", "plumbing"],
      deliveryMode: "EXCLUSIVE",
      maxSharedLeads: 3,
      pricingModel: "AUCTION",
      fixedLeadPriceCents: null,
      maxBidCents: 3500,
      sharedPriceCents: null,
      deliveryMethods: ["WEBHOOK", "DASHBOARD"],
      capDaily: 12,
      capWeekly: null,
      capMonthly: null,
    },
  },
];

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

function networkInput(n: NetSpec, simUrl: string): NetworkInput {
  return {
    type: "NETWORK",
    name: n.name,
    active: true,
    verticals: n.verticals,
    compliance: n.compliance ?? [],
    timeZone: n.timeZone ?? "America/Chicago",
    hours: n.hours ?? null,
    capDaily: n.capDaily ?? null,
    capWeekly: null,
    capMonthly: null,
    duplicateLookbackDays: 30,
    serviceZips: (n.zips ?? ALL_ZIPS).map((zip) => ({ zip, priority: 1 })),
    pingUrl: `${simUrl}/networks/${n.sim}/ping`,
    postUrl: `${simUrl}/networks/${n.sim}/post`,
    pingTimeoutMs: 1000,
    minBidCents: n.minBidCents,
    responseMapping: n.nested ? NESTED : null,
  };
}

function contractorInput(c: ConSpec, simUrl: string, email: string): ContractorInput {
  const metro = METROS[c.metro];
  return {
    type: "CONTRACTOR",
    name: c.name,
    active: true,
    verticals: ["roofing"],
    compliance: [],
    timeZone: metro.tz,
    hours: null,
    duplicateLookbackDays: 30,
    // The heart of the metro is priority 1, the rest 2; the first zip is worth a little more.
    serviceZips: metro.zips.map((zip, i) => ({
      zip,
      priority: i < 3 ? 1 : 2,
      maxBidCents: i === 0 && c.settings.maxBidCents ? c.settings.maxBidCents + 500 : null,
    })),
    notificationEmail: email,
    webhookUrl: c.crm ? `${simUrl}/contractors/${c.crm}-crm/webhook` : null,
    ...c.settings,
  };
}

async function insertBuyer(
  db: Db,
  orgId: string,
  key: string,
  input: NetworkInput | ContractorInput,
  secret: string | null,
) {
  // The demo obeys the same rules as the settings form, so it never shows a state users can't reach.
  const problems = settingsProblems(buyerInputSchema.parse(input));
  if (problems.length)
    throw new Error(`auction seed: ${key}: ${problems.map((p) => `${p.path.join(".")}: ${p.message}`).join("; ")}`);
  const [row] = await db
    .insert(buyers)
    .values({ ...buyerColumns(input), orgId, key, webhookSecret: secret })
    .returning({ id: buyers.id });
  if (input.serviceZips.length)
    await db.insert(buyerZips).values(
      input.serviceZips.map((z) => ({
        buyerId: row!.id,
        zip: z.zip,
        priority: z.priority,
        maxBidCents: z.maxBidCents ?? null,
      })),
    );
}

/** Seed step; `simUrl` is where the buyer simulator listens (default http://127.0.0.1:4100). */
export function auctionSeed(simUrl = DEFAULT_BUYER_SIM_URL, emailOf: (orgKey: string) => string = demoEmail): SeedStep {
  const base = simUrl.replace(/\/+$/, "");
  return {
    name: "auction buyers",
    async run(ctx: SeedContext) {
      const total = 1 + NETWORKS.length + CONTRACTORS.length;
      let done = 0;
      await ctx.db.insert(verticals).values(DEMO_VERTICALS).onConflictDoNothing();
      ctx.progress("auction verticals and buyers", ++done, total);
      for (const n of NETWORKS) {
        await insertBuyer(
          ctx.db,
          orgId(ctx, n.org),
          `${n.org.replace(/^net-/, "")}/${n.sim}`,
          networkInput(n, base),
          null,
        );
        ctx.progress("auction verticals and buyers", ++done, total);
      }
      for (const c of CONTRACTORS) {
        const input = contractorInput(c, base, emailOf(c.org));
        await insertBuyer(
          ctx.db,
          orgId(ctx, c.org),
          `${c.org.replace(/^con-/, "")}/${slug(c.name)}`,
          input,
          c.crm ? simSecret(c.crm) : null,
        );
        ctx.progress("auction verticals and buyers", ++done, total);
      }
    },
  };
}

const demoEmail = (key: string) => DEMO_ORGS.find((o) => o.key === key)?.user.email ?? `leads@${key}.test`;

function orgId(ctx: SeedContext, key: string): string {
  const id = ctx.orgIds.get(key);
  if (!id) throw new Error(`auction seed: demo organisation "${key}" is missing from world.ts`);
  return id;
}
