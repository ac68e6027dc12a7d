// Call tracking's demo: tracking numbers for the demo DJs (fictional 555-01xx numbers), their own
// phones for forwarding, and 30 days of calls with durations, repeat callers, leads linked by the
// DJ and bookings, so the DJ's calls page and the admin's analytics show a living history.
// Seeded callers are hashed under a secret of their own, so they never match a real caller.
import { mulberry32 } from "@leadflow/buyer-sim";
import { hashCaller } from "@leadflow/api";
import {
  callLeads,
  djs,
  djVirtualNumbers,
  leadAssignments,
  marketLeadEvents,
  marketLeads,
  type Db,
} from "@leadflow/db";
import {
  attributeCall,
  consentModeForState,
  recordingAllowed,
  systemClock,
  type PriorCall,
  type ProviderCallStatus,
} from "@leadflow/engine";
import { and, desc, eq, isNotNull, or } from "drizzle-orm";
import { randomBytes, randomUUID } from "node:crypto";
import type { SeedContext, SeedStep } from "./seed";

const DAY = 86_400_000;

/** Numbers per demo DJ (by org key), its own phone, and whether its numbers record. */
const DEMO_NUMBERS: Record<string, { numbers: string[]; own: string; record: boolean; callsPerDay: number }> = {
  "dj-beale": { numbers: ["+19015550140", "+19015550141"], own: "+19015550190", record: false, callsPerDay: 1.4 },
  "dj-grove": { numbers: ["+19015550142"], own: "+19015550191", record: false, callsPerDay: 0.7 },
  "dj-honky": { numbers: ["+16155550140"], own: "+16155550190", record: true, callsPerDay: 0.9 },
  "dj-peachtree": { numbers: ["+14045550140"], own: "+14045550190", record: false, callsPerDay: 0.6 },
  "dj-mile-high": { numbers: ["+17205550140", "+17205550141"], own: "+17205550190", record: true, callsPerDay: 1.0 },
};

/** Short calls (hang-ups, wrong numbers), real conversations and the long ones in between. */
function duration(r: () => number): number {
  const x = r();
  if (x < 0.2) return Math.floor(r() * 30);
  if (x < 0.4) return 30 + Math.floor(r() * 30);
  return 60 + Math.floor(r() * 600);
}

export async function seedCalls(
  db: Db,
  orgIds: Map<string, string>,
  progress: SeedContext["progress"],
  now = systemClock.now(),
) {
  const r = mulberry32(5_150_140);
  const secret = randomBytes(32).toString("hex");
  const keys = Object.keys(DEMO_NUMBERS);
  let step = 0;
  for (const key of keys) {
    const spec = DEMO_NUMBERS[key]!;
    const orgId = orgIds.get(key);
    const [dj] = orgId ? await db.select().from(djs).where(eq(djs.orgId, orgId)) : [];
    if (!dj) continue;
    await db.update(djs).set({ contactPhone: spec.own }).where(eq(djs.id, dj.id));
    const nums = await db
      .insert(djVirtualNumbers)
      .values(
        spec.numbers.map((number) => ({
          number,
          djId: dj.id,
          recordingEnabled: spec.record,
          assignedAt: new Date(now.getTime() - 60 * DAY),
        })),
      )
      .returning();
    const leads = await db
      .selectDistinct({ id: marketLeads.id, createdAt: marketLeads.createdAt })
      .from(marketLeads)
      .leftJoin(leadAssignments, and(eq(leadAssignments.leadId, marketLeads.id), eq(leadAssignments.djId, dj.id)))
      .where(or(isNotNull(leadAssignments.id), eq(marketLeads.acceptedDjId, dj.id)))
      .orderBy(desc(marketLeads.createdAt))
      .limit(40);

    // Callers: most call once, some call back within days (the same lead), a few weeks later.
    const callers = Array.from(
      { length: 40 },
      (_, i) => `+1${["901", "615", "404", "720", "310"][i % 5]}5550${String(200 + i).padStart(3, "0")}`,
    );
    const last = new Map<string, PriorCall & { billed: boolean }>();
    const count = Math.round(spec.callsPerDay * 30);
    const starts = Array.from({ length: count }, () => now.getTime() - Math.floor(r() * 30 * DAY) - 3_600_000).sort(
      (a, b) => a - b,
    );
    const rows: (typeof callLeads.$inferInsert)[] = [];
    const events: (typeof marketLeadEvents.$inferInsert)[] = [];
    for (const t0 of starts) {
      const caller =
        r() < 0.25 && last.size > 0
          ? [...last.keys()][Math.floor(r() * last.size)]!
          : callers[Math.floor(r() * callers.length)]!;
      const callerState = r() < 0.12 ? "CA" : dj.state;
      const num = nums[Math.floor(r() * nums.length)]!;
      const sec = r() < 0.08 ? 0 : duration(r);
      const status: ProviderCallStatus = sec === 0 ? (r() < 0.5 ? "no-answer" : "busy") : "completed";
      const id = randomUUID();
      const startedAt = new Date(t0);
      const prior = last.get(caller) ?? null;
      // About half of the counted calls come from a customer whose inquiry the DJ has.
      const leadGuess = leads.length > 0 && r() < 0.55 ? leads[Math.floor(r() * leads.length)]!.id : null;
      const a = attributeCall({ durationSec: sec, now: startedAt, lastCall: prior, matchingLeadId: leadGuess });
      const marketLeadId =
        a.classification === "ignored" ? (a.attributedBy === "repeat_caller" ? a.marketLeadId : null) : a.marketLeadId;
      const threadId = a.threadId ?? id;
      const consentMode =
        consentModeForState(callerState) === "all_party" || consentModeForState(dj.state) === "all_party"
          ? "all_party"
          : "one_party";
      const announced = num.recordingEnabled && consentMode === "all_party";
      const rec = recordingAllowed([callerState, dj.state], num.recordingEnabled, announced);
      const converted = marketLeadId != null && a.classification === "billable" && r() < 0.3;
      const endedAt = new Date(t0 + sec * 1000);
      rows.push({
        id,
        callSid: `CA${randomBytes(16).toString("hex")}`,
        virtualNumberId: num.id,
        toNumber: num.number,
        djId: dj.id,
        callerHash: hashCaller(secret, caller),
        callerState,
        status,
        startedAt,
        endedAt,
        durationSec: sec,
        classification: a.classification,
        threadId,
        repeatOfCallId: a.repeatOfCallId,
        billed: a.billed,
        attributionReason: a.reason,
        marketLeadId,
        attributedBy: marketLeadId ? (a.attributedBy === "repeat_caller" ? "repeat_caller" : "manual") : null,
        attributedAt: marketLeadId ? endedAt : null,
        consentMode,
        announced,
        recordingAllowed: rec.allowed,
        recordingReason: rec.reason,
        recordingUrl:
          rec.allowed && sec >= 30
            ? `https://api.twilio.com/2010-04-01/Accounts/ACdemo/Recordings/RE${randomBytes(16).toString("hex")}`
            : null,
        convertedAt: converted ? new Date(t0 + 2 * DAY) : null,
        bookingRef: converted ? `BK-${1000 + rows.length}` : null,
        bookingValueCents: converted
          ? Math.round((dj.priceMinCents + r() * (dj.priceMaxCents - dj.priceMinCents)) / 5_000) * 5_000
          : null,
        provider: { Direction: "inbound" },
        createdAt: startedAt,
        updatedAt: endedAt,
      });
      if (marketLeadId) {
        events.push({
          leadId: marketLeadId,
          at: endedAt,
          kind: "call",
          message: `The customer called ${dj.name}'s tracking number: ${Math.floor(sec / 60)} min ${sec % 60} s, ${a.classification.replace("_", " ")}${a.billed ? ", billed" : ""}. ${a.reason}`,
          data: {
            callId: id,
            djId: dj.id,
            durationSec: sec,
            classification: a.classification,
            billed: a.billed,
            attributedBy: a.attributedBy,
          },
        });
      }
      const threadBilled = (prior && a.threadId ? prior.threadBilled : false) || a.billed;
      last.set(caller, { id, at: startedAt, threadId, marketLeadId, threadBilled, billed: a.billed });
    }
    if (rows.length > 0) await db.insert(callLeads).values(rows);
    if (events.length > 0) await db.insert(marketLeadEvents).values(events);
    progress("call history", ++step, keys.length);
  }
}

export function callsSeed(): SeedStep {
  return { name: "calls", run: (ctx) => seedCalls(ctx.db, ctx.orgIds, ctx.progress) };
}
