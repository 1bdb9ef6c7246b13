import { useEffect } from "preact/hooks";
import { href, useRoute } from "../router";
import { useStore } from "../state";
import { clearFinished, unsent, uploads } from "../uploadQueue";
import { finished } from "../uploads";
import { UploadStatus } from "./UploadStatus";

/**
 * Uploads going on outside the view that shows them (another tab or collection), in a corner of every page, with
 * per-file progress, cancel and retry; leaving the page while files are still being sent asks first.
 */
export function UploadTray() {
  const list = useStore(uploads);
  const route = useRoute();
  const pending = unsent(list);
  const hasPending = pending > 0;

  useEffect(() => {
    if (!hasPending) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [hasPending]);

  // The documents tab of a collection lists its own uploads with their outcomes; the tray shows the others while
  // they run, and those that failed (with the reason and "Try again") until cleared.
  const shown = list.filter((u) => !(route.page === "collection" && route.tab === "documents" && route.id === u.collectionId)
    && (!finished(u) || (u.phase === "failed" && u.message !== "cancelled")));
  if (shown.length === 0) return null;
  const active = shown.filter((u) => !finished(u)).length;
  return (
    <section class="upload-tray" aria-label="Uploads">
      <div class="uploads-head">
        <h3>Uploads {active > 0 ? <span class="muted">({active} in progress)</span> : <span class="muted">(failed)</span>}</h3>
        {active === 0 && <button type="button" class="button small" onClick={() => clearFinished()}>Clear</button>}
      </div>
      <ul aria-live="polite">
        {shown.slice(0, 8).map((u) => (
          <li key={u.key} class={"tray-upload " + u.phase} data-phase={u.phase} data-name={u.name}>
            <div class="upload-line">
              <span class="name" title={u.name}>{u.name}</span>
              <a class="muted small" href={href({ page: "collection", id: u.collectionId, tab: "documents" })}>{u.collectionName}</a>
            </div>
            <UploadStatus upload={u} small />
          </li>
        ))}
      </ul>
      {shown.length > 8 && <p class="muted small">and {shown.length - 8} more</p>}
    </section>
  );
}
