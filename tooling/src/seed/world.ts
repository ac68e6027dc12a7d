// The demo world: who is on the platform. Domain seeds (auction buyers, DJs and their calendars,
// city statistics) build on these organisations.
import type { OrgKind, UserRole } from "@leadflow/engine";

export const DEMO_PASSWORD = "leadflow-demo";

export interface DemoOrg {
  key: string;
  name: string;
  kind: OrgKind;
  user: { email: string; name: string; role: UserRole };
  /** Metro the organisation works in, for buyers and DJs. */
  metro?: string;
}

export const METROS = {
  memphis: {
    city: "Memphis",
    state: "TN",
    tz: "America/Chicago",
    zips: ["38103", "38104", "38111", "38117", "38120", "38134"],
  },
  nashville: {
    city: "Nashville",
    state: "TN",
    tz: "America/Chicago",
    zips: ["37203", "37205", "37206", "37209", "37211", "37215"],
  },
  atlanta: {
    city: "Atlanta",
    state: "GA",
    tz: "America/New_York",
    zips: ["30303", "30305", "30308", "30309", "30318", "30324"],
  },
  denver: {
    city: "Denver",
    state: "CO",
    tz: "America/Denver",
    zips: ["80202", "80205", "80206", "80210", "80218", "80220"],
  },
} as const;
export type MetroKey = keyof typeof METROS;

export const DEMO_ORGS: DemoOrg[] = [
  {
    key: "platform",
    name: "LeadFlow Operations",
    kind: "platform",
    user: { email: "admin@leadflow.test", name: "Avery Admin", role: "admin" },
  },
  {
    key: "seller",
    name: "Bright Path Media",
    kind: "seller",
    user: { email: "seller@brightpath.test", name: "Sam Seller", role: "seller" },
  },
  {
    key: "net-homequote",
    name: "HomeQuote Network",
    kind: "network",
    user: { email: "buyer@homequote.test", name: "Nina Network", role: "network" },
  },
  {
    key: "net-roofmatch",
    name: "RoofMatch Exchange",
    kind: "network",
    user: { email: "buyer@roofmatch.test", name: "Reggie Ramos", role: "network" },
  },
  {
    key: "net-pronet",
    name: "ProNet Leads",
    kind: "network",
    user: { email: "buyer@pronet.test", name: "Priya Patel", role: "network" },
  },
  {
    key: "con-bluff",
    name: "Bluff City Roofing",
    kind: "contractor",
    metro: "memphis",
    user: { email: "owner@bluffcityroofing.test", name: "Carl Contractor", role: "contractor" },
  },
  {
    key: "con-music-city",
    name: "Music City Roof & Gutter",
    kind: "contractor",
    metro: "nashville",
    user: { email: "owner@musiccityroof.test", name: "Dana Douglas", role: "contractor" },
  },
  {
    key: "con-peach",
    name: "Peach State Exteriors",
    kind: "contractor",
    metro: "atlanta",
    user: { email: "owner@peachstate.test", name: "Gabe Green", role: "contractor" },
  },
  {
    key: "con-midsouth",
    name: "MidSouth Storm Repair",
    kind: "contractor",
    metro: "memphis",
    user: { email: "office@midsouthstorm.test", name: "Mia Moss", role: "contractor" },
  },
  {
    key: "dj-beale",
    name: "DJ Beale Street",
    kind: "dj",
    metro: "memphis",
    user: { email: "dj@bealestreet.test", name: "Marcus Beale", role: "dj" },
  },
  {
    key: "dj-grove",
    name: "Overton Grove Sound",
    kind: "dj",
    metro: "memphis",
    user: { email: "book@overtongrove.test", name: "Olivia Grove", role: "dj" },
  },
  {
    key: "dj-honky",
    name: "Honky Tonk Beats",
    kind: "dj",
    metro: "nashville",
    user: { email: "dj@honkytonkbeats.test", name: "Hank Tillman", role: "dj" },
  },
  {
    key: "dj-peachtree",
    name: "Peachtree Party DJs",
    kind: "dj",
    metro: "atlanta",
    user: { email: "hello@peachtreedjs.test", name: "Tasha Reed", role: "dj" },
  },
  {
    key: "dj-mile-high",
    name: "Mile High Mixes",
    kind: "dj",
    metro: "denver",
    user: { email: "dj@milehighmixes.test", name: "Diego Alvarez", role: "dj" },
  },
];
