// The demo's living market: buyer-sim in-process (the demo networks and contractor CRMs the seed
// points at, BUYER_SIM_URL) and a steady trickle of leads from the demo seller, every few seconds,
// through the same submit path as the REST API. Seeded, so two demo runs tell the same story.
import { submitLead, type Services } from "@leadflow/api";
import { demoBuyerSimConfig, mulberry32, startBuyerSim, type BuyerSim } from "@leadflow/buyer-sim";
import { users } from "@leadflow/db";
import { eq } from "drizzle-orm";
import { DEMO_VERTICALS } from "./seed/auction";
import { DEMO_ORGS, METROS } from "./seed/world";

export interface DemoTrafficOptions {
  simUrl: string;
  /** Pause between leads, ms. */
  minGapMs?: number;
  maxGapMs?: number;
  seed?: number;
}

export interface DemoTraffic {
  sim: BuyerSim | null;
  sent(): number;
  stop(): Promise<void>;
}

const FIRST = [
  "Ava",
  "Ben",
  "Chloe",
  "Dev",
  "Elena",
  "Frank",
  "Grace",
  "Hiro",
  "Imani",
  "Jonah",
  "Kira",
  "Luis",
  "Maya",
  "Noah",
  "Olive",
  "Pete",
];
const LAST = [
  "Adams",
  "Baker",
  "Cruz",
  "Diaz",
  "Evans",
  "Foster",
  "Garcia",
  "Hughes",
  "Ito",
  "Jones",
  "Khan",
  "Lopez",
  "Moore",
  "Nguyen",
  "Owens",
  "Price",
];

/** Starts the sim (unless something already listens at simUrl) and the trickle. */
export async function startDemoTraffic(s: Services, o: DemoTrafficOptions): Promise<DemoTraffic> {
  const url = new URL(o.simUrl);
  let sim: BuyerSim | null = null;
  try {
    sim = await startBuyerSim(demoBuyerSimConfig(), { host: url.hostname, port: Number(url.port || 80) });
  } catch (err) {
    s.log.warn({ err, simUrl: o.simUrl }, "buyer-sim not started here (is one already running?); sending leads anyway");
  }
  const sellerEmail = DEMO_ORGS.find((d) => d.kind === "seller")!.user.email;
  const [seller] = await s.db.select({ orgId: users.orgId }).from(users).where(eq(users.email, sellerEmail));
  const rng = mulberry32(o.seed ?? 424242);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const metros = Object.values(METROS);
  const phones: string[] = [];
  let sent = 0;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const lead = () => {
    const metro = pick(metros);
    // One lead in twenty is a person already sent: the duplicate rules get something to catch.
    const again = phones.length > 5 && rng() < 0.05;
    const phone = again
      ? pick(phones)
      : `${pick(["901", "615", "404", "303"])}555${String(Math.floor(rng() * 10_000)).padStart(4, "0")}`;
    if (!again) phones.push(phone);
    const first = pick(FIRST);
    const last = pick(LAST);
    return {
      vertical: rng() < 0.6 ? "roofing" : pick(DEMO_VERTICALS).key,
      zip: pick(metro.zips),
      state: metro.state,
      contact: {
        firstName: first,
        lastName: last,
        phone,
        email: `${first}.${last}${Math.floor(rng() * 100)}@example.com`.toLowerCase(),
        city: metro.city,
      },
      consent: {
        ...(rng() < 0.85
          ? { trustedFormCertUrl: `https://cert.trustedform.com/${Math.floor(rng() * 1e12).toString(16)}` }
          : {}),
        ...(rng() < 0.4 ? { jornayaLeadId: `LEADID-${Math.floor(rng() * 1e10)}` } : {}),
      },
      customFields: { roofAge: Math.floor(rng() * 30), homeowner: rng() < 0.9 },
    };
  };

  const tick = async () => {
    if (stopped) return;
    if (seller) {
      try {
        await submitLead(s, { orgId: seller.orgId, role: "seller" }, lead());
        sent++;
      } catch (err) {
        s.log.warn({ err }, "demo lead refused");
      }
    }
    const min = o.minGapMs ?? 2000;
    const max = o.maxGapMs ?? 6000;
    if (!stopped) timer = setTimeout(() => void tick(), min + rng() * (max - min));
  };
  if (!seller) s.log.warn("no demo seller: seed the demo world first");
  timer = setTimeout(() => void tick(), 500);
  return {
    sim,
    sent: () => sent,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await sim?.close();
    },
  };
}
