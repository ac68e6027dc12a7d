// Shared wording for call pages.
export const CLASS_LABELS: Record<string, string> = {
  billable: "Billable lead",
  not_billable: "Counted, not billable",
  ignored: "Ignored (too short)",
};

export const RECORDING_LABELS: Record<string, string> = {
  recording_disabled: "Not recorded (recording off for this number)",
  consent_not_announced: "Not recorded (consent not announced)",
  one_party_states: "Recorded (one-party consent states)",
  announced: "Recorded after a consent announcement",
};

export function duration(sec: number | null): string {
  if (sec == null) return "in progress";
  const m = Math.floor(sec / 60);
  const s = sec % 60;
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
}

export const pct = (v: number | null) => (v == null ? "no data" : `${Math.round(v * 100)}%`);
