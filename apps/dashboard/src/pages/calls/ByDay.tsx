// Calls per day as a table with bars drawn in CSS: readable by screen readers, no chart library.
const BAR = { display: "block", height: "0.8rem", borderRadius: "3px" } as const;

/** Grey: all calls that day, relative to the busiest day; blue: the billable share. */
export function ByDay({ days }: { days: { day: string; calls: number; billable: number; attributed: number }[] }) {
  if (days.length === 0) return <p>No calls in this period.</p>;
  const max = Math.max(1, ...days.map((d) => d.calls));
  return (
    <div className="table-wrap">
      <table aria-label="Calls by day">
        <thead>
          <tr><th scope="col">Day</th><th scope="col">Calls</th><th scope="col">Billable</th><th scope="col">Attributed</th><th scope="col"><span className="sr-only">Bar</span></th></tr>
        </thead>
        <tbody>
          {days.map((d) => (
            <tr key={d.day}>
              <td>{d.day}</td>
              <td>{d.calls}</td>
              <td>{d.billable}</td>
              <td>{d.attributed}</td>
              <td aria-hidden="true" style={{ minWidth: "6rem" }}>
                <span style={{ ...BAR, width: `${(d.calls / max) * 100}%`, background: "var(--line)" }}>
                  <span style={{ ...BAR, width: d.calls ? `${(d.billable / d.calls) * 100}%` : 0, background: "var(--accent)" }} />
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
