// Calls per day as a table with bars drawn in CSS: readable by screen readers, no chart library.
import { DataTable } from "../../components/DataTable";

const BAR = { display: "block", height: "0.8rem", borderRadius: "3px" } as const;

/** Grey: all calls that day, relative to the busiest day; blue: the billable share. */
export function ByDay({ days }: { days: { day: string; calls: number; billable: number; attributed: number }[] }) {
  if (days.length === 0) return <p>No calls in this period.</p>;
  const max = Math.max(1, ...days.map((d) => d.calls));
  return (
    <DataTable
      caption="Calls by day"
      rows={days}
      rowKey={(d) => d.day}
      empty="No calls in this period."
      columns={[
        { key: "day", header: "Day", rowHeader: true, cell: (d) => d.day },
        { key: "calls", header: "Calls", numeric: true, cell: (d) => d.calls },
        { key: "billable", header: "Billable", numeric: true, cell: (d) => d.billable },
        { key: "attributed", header: "Attributed", numeric: true, cell: (d) => d.attributed },
        {
          key: "bar",
          header: null,
          label: "Bar",
          actions: true,
          // The numbers are in the other cells; the bar is for the eye only.
          cell: (d) => (
            <span
              aria-hidden="true"
              style={{ ...BAR, minWidth: "6rem", width: `${(d.calls / max) * 100}%`, background: "var(--line)" }}
            >
              <span
                style={{ ...BAR, width: d.calls ? `${(d.billable / d.calls) * 100}%` : 0, background: "var(--accent)" }}
              />
            </span>
          ),
        },
      ]}
    />
  );
}
