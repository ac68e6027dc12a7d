// The dashboard's one data table. A page says what its columns are (typed over its row) and what
// to say when there are no rows; this draws a real <table> on wide screens and, below 720 px, the
// same cells as one card per row with each value under its column's name (styles.css,
// .data-table), so no page scrolls sideways on a phone. Wide tables that must stay tables on a
// phone (a grid of numbers read across) pass layout="scroll" and scroll inside their own box.
// The table roles are written out: browsers drop a table's semantics once its cells are
// display:block (the cards), and a screen reader should still hear rows and cells on a phone.
import type { HTMLAttributes, ReactNode } from "react";

export interface Column<Row> {
  /** Stable key for React; also the default card label when `header` is not a string. */
  key: string;
  /** The column's heading. */
  header: ReactNode;
  /** The words shown beside the value on a phone card, when `header` is not plain text. */
  label?: string;
  cell: (row: Row) => ReactNode;
  /** Numbers and money line up on the right on wide screens. */
  numeric?: boolean;
  /** Buttons and links for the row: no label on a phone card. */
  actions?: boolean;
  /** A <th scope="row"> instead of <td>, for the cell that names the row. */
  rowHeader?: boolean;
}

export interface DataTableProps<Row> {
  /** What the table lists; read by screen readers, shown when `showCaption` is set. */
  caption: string;
  showCaption?: boolean;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  /** Said instead of an empty table. */
  empty: ReactNode;
  /** Extra attributes for a row (a test id, a class). */
  rowProps?: (row: Row) => HTMLAttributes<HTMLTableRowElement> & { [data: `data-${string}`]: string | undefined };
  layout?: "cards" | "scroll";
  className?: string;
  /** A footer row (totals), drawn under the rows. */
  footer?: ReactNode;
}

export function DataTable<Row>({
  caption,
  showCaption,
  columns,
  rows,
  rowKey,
  empty,
  rowProps,
  layout = "cards",
  className,
  footer,
}: DataTableProps<Row>) {
  if (rows.length === 0) return <p className="empty-state">{empty}</p>;
  const labelOf = (c: Column<Row>) => c.label ?? (typeof c.header === "string" ? c.header : c.key);
  return (
    // A table wider than its box scrolls inside it; the box takes focus so a keyboard can scroll it.
    <div
      className={layout === "scroll" ? "table-wrap" : "table-wrap data-table-wrap"}
      role="region"
      aria-label={caption}
      tabIndex={0}
    >
      <table
        role="table"
        className={[layout === "cards" ? "data-table" : "", className ?? ""].join(" ").trim() || undefined}
      >
        <caption className={showCaption ? "table-caption" : "sr-only"}>{caption}</caption>
        <thead role="rowgroup">
          <tr role="row">
            {columns.map((c) => (
              <th key={c.key} role="columnheader" scope="col" className={c.numeric ? "num" : undefined}>
                {c.actions && !c.header ? <span className="sr-only">{c.label ?? "Actions"}</span> : c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody role="rowgroup">
          {rows.map((r) => (
            <tr key={rowKey(r)} role="row" {...rowProps?.(r)}>
              {columns.map((c) => {
                const cls = [c.numeric ? "num" : "", c.actions ? "row-actions" : ""].join(" ").trim() || undefined;
                const label = c.actions ? undefined : labelOf(c);
                // One box for the value, so a phone card can set it beside its label.
                const value = c.actions ? c.cell(r) : <div className="dt-value">{c.cell(r)}</div>;
                return c.rowHeader ? (
                  <th key={c.key} role="rowheader" scope="row" className={cls} data-label={label}>
                    {value}
                  </th>
                ) : (
                  <td key={c.key} role="cell" className={cls} data-label={label}>
                    {value}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
        {footer ? <tfoot>{footer}</tfoot> : null}
      </table>
    </div>
  );
}
