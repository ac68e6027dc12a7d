// The dashboard's one cursor pager, for lists paged by the server's opaque `nextCursor` (newest
// first). useCursorPages keeps the cursors of the pages already seen, so Previous goes back without
// refetching from the start; CursorPager draws Previous/Next; rangeText says which rows are shown.
import { useCallback, useMemo, useState } from "react";

export interface CursorPages {
  /** The cursor to fetch this page with; undefined on the first page. */
  cursor: string | undefined;
  /** 0 on the first page. */
  index: number;
  next: (cursor: string) => void;
  previous: () => void;
  /** Back to the first page (call when the filters change). */
  reset: () => void;
}

export function useCursorPages(): CursorPages {
  const [cursors, setCursors] = useState<string[]>([]);
  const next = useCallback((c: string) => setCursors((cs) => [...cs, c]), []);
  const previous = useCallback(() => setCursors((cs) => cs.slice(0, -1)), []);
  const reset = useCallback(() => setCursors((cs) => (cs.length ? [] : cs)), []);
  return useMemo(
    () => ({ cursor: cursors.at(-1), index: cursors.length, next, previous, reset }),
    [cursors, next, previous, reset],
  );
}

/** "26–50 shown, newest first." or, on the last page, "26–31 of 31 shown, newest first." */
export function rangeText(pages: CursorPages, pageSize: number, shown: number, hasMore: boolean): string {
  const from = pages.index * pageSize + 1;
  const to = pages.index * pageSize + shown;
  return `${from}–${to}${hasMore ? "" : ` of ${to}`} shown, newest first.`;
}

export function CursorPager({
  label,
  pages,
  nextCursor,
}: {
  /** The navigation landmark's name, e.g. "Result pages". */
  label: string;
  pages: CursorPages;
  /** The current page's nextCursor; null or undefined on the last page. */
  nextCursor: string | null | undefined;
}) {
  return (
    <nav aria-label={label} className="pager">
      <button type="button" disabled={pages.index === 0} onClick={pages.previous}>
        Previous
      </button>{" "}
      <button type="button" disabled={!nextCursor} onClick={() => nextCursor && pages.next(nextCursor)}>
        Next
      </button>
    </nav>
  );
}
