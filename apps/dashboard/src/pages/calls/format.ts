// Numbers for call pages; their words are in ../../labels.
export function duration(sec: number | null): string {
  if (sec == null) return "in progress";
  const m = Math.floor(sec / 60);
  const s = sec % 60;
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
}

export const pct = (v: number | null) => (v == null ? "no data" : `${Math.round(v * 100)}%`);
