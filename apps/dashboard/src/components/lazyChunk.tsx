// A page's code is its own chunk, fetched when first opened. When that fetch fails (the phone
// lost its connection, or a new release replaced the old chunks), the person gets a message and a
// way out instead of a blank page. React.lazy keeps a failed import for good, so the way out is a
// full reload, which also picks up the new release's file names.
import { lazy, type ComponentType } from "react";

export function PageLoadFailed() {
  return (
    <div className="card" role="alert">
      <h1>This page did not load</h1>
      <p>
        Its code could not be downloaded: check your connection. If LeadFlow was just updated, reloading gets the new
        version.
      </p>
      <button type="button" className="primary" onClick={() => window.location.reload()}>
        Reload the page
      </button>
    </div>
  );
}

/** React.lazy with the failure shown as PageLoadFailed. */
export function lazyChunk<P>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  return lazy(async () => {
    try {
      return { default: await load() };
    } catch {
      return { default: PageLoadFailed as ComponentType<P> };
    }
  }) as unknown as ComponentType<P>;
}
