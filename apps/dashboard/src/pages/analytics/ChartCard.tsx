// One chart of the analytics: a titled section with a caption, the chart (drawn only from the
// rows it is given), a toggle to the same numbers as a table, and a CSV download of them. With no
// rows it says why instead of drawing an empty frame.
import { useId, useMemo, useState, type ReactNode } from "react";
import { DataTable, type Column as TableColumn } from "../../components/DataTable";

export interface Column<R> {
  label: string;
  value: (row: R) => string | number | null;
  /** Shown in the table; the CSV always has the plain value. */
  format?: (row: R) => string;
}

function csvOf<R>(columns: Column<R>[], rows: R[]): string {
  const esc = (v: string | number | null) => {
    const s = v == null ? "" : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return (
    [
      columns.map((c) => esc(c.label)).join(","),
      ...rows.map((r) => columns.map((c) => esc(c.value(r))).join(",")),
    ].join("\n") + "\n"
  );
}

export function ChartCard<R>(props: {
  title: string;
  caption: string;
  file: string;
  rows: R[];
  columns: Column<R>[];
  rowKey: (row: R) => string;
  empty: string;
  /** Without a chart, the table is the view. */
  chart?: ReactNode;
  chartLabel?: string;
}) {
  const id = useId();
  const [asTable, setAsTable] = useState(false);
  const href = useMemo(
    () => `data:text/csv;charset=utf-8,${encodeURIComponent(csvOf(props.columns, props.rows))}`,
    [props.columns, props.rows],
  );
  const showTable = asTable || !props.chart;
  return (
    <section className="chart-card" aria-labelledby={`${id}-t`}>
      <h2 id={`${id}-t`}>{props.title}</h2>
      <p className="hint" id={`${id}-c`}>
        {props.caption}
      </p>
      {props.rows.length === 0 ? (
        <p className="empty">{props.empty}</p>
      ) : (
        <>
          <div className="actions chart-actions">
            {props.chart ? (
              <button type="button" aria-pressed={asTable} onClick={() => setAsTable(!asTable)}>
                {asTable ? "Show chart" : "Show table"}
              </button>
            ) : null}
            <a className="button-link" href={href} download={`${props.file}.csv`}>
              Download CSV<span className="sr-only"> of {props.title}</span>
            </a>
          </div>
          {showTable ? (
            <DataTable
              caption={props.title}
              rows={props.rows}
              rowKey={props.rowKey}
              empty={props.empty}
              columns={props.columns.map((c, i): TableColumn<R> => ({
                key: c.label,
                header: c.label,
                rowHeader: i === 0,
                cell: (r) => (c.format ? c.format(r) : (c.value(r) ?? "–")),
              }))}
            />
          ) : (
            <div
              className="chart"
              role="img"
              aria-label={props.chartLabel ?? `${props.title}. Use "Show table" for the numbers.`}
              aria-describedby={`${id}-c`}
            >
              {props.chart}
            </div>
          )}
        </>
      )}
    </section>
  );
}
