import { useEffect, useState } from "preact/hooks";
import { api, describeError, importArchive, type ImportInfo } from "../api";
import { bytes } from "../format";
import { ended, importMessage, importProgress } from "../imports";
import { Progress } from "./Progress";

/** One archive being sent or imported. */
export interface ArchiveImport {
  key: string;
  name: string;
  size: number;
  /** Share of the archive sent, while it uploads. */
  sent?: number;
  info?: ImportInfo;
  error?: string;
}

/**
 * Sends archives to the import endpoint and follows each import's aggregate progress (polled every second) until it
 * ends, with Cancel. {@code onChange} is told when files of an import became ready, so the document table refreshes.
 */
export function useArchiveImports(collectionId: string, onChange: () => void) {
  const [items, setItems] = useState<ArchiveImport[]>([]);
  const update = (key: string, f: (i: ArchiveImport) => ArchiveImport) =>
    setItems((all) => all.map((i) => (i.key === key ? f(i) : i)));

  async function start(file: File) {
    const key = `${Date.now()}-${Math.random()}`;
    setItems((all) => [...all, { key, name: file.name, size: file.size, sent: 0 }]);
    try {
      const info = await importArchive(collectionId, file, (sent) => update(key, (i) => ({ ...i, sent })));
      update(key, (i) => ({ ...i, sent: undefined, info }));
    } catch (e) {
      update(key, (i) => ({ ...i, sent: undefined, error: describeError(e) }));
    }
  }

  const running = items.filter((i) => i.info && !ended(i.info));
  // The poller is set up again when the running imports or their progress change, not on every render.
  const progressKey = running.map((i) => `${i.key}:${i.info?.jobs.succeeded}:${i.info?.status}`).join(",");
  useEffect(() => {
    if (running.length === 0) return;
    const t = setInterval(async () => {
      for (const item of running) {
        try {
          const info = await api.importStatus(item.info!.id);
          if (info.jobs.succeeded !== item.info!.jobs.succeeded || ended(info)) onChange();
          update(item.key, (i) => ({ ...i, info }));
        } catch (e) {
          update(item.key, (i) => ({ ...i, error: describeError(e) }));
        }
      }
    }, 1000);
    return () => clearInterval(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `running` and `onChange` are summed up by progressKey
  }, [progressKey]);

  async function cancel(key: string) {
    const item = items.find((i) => i.key === key);
    if (!item?.info) return;
    try {
      const info = await api.cancelImport(item.info.id);
      update(key, (i) => ({ ...i, info }));
    } catch (e) {
      update(key, (i) => ({ ...i, error: describeError(e) }));
    }
  }

  const clear = () => setItems((all) => all.filter((i) => !(i.error || (i.info && ended(i.info)))));
  return { items, start, cancel, clear };
}

export function ImportsList(props: { items: ArchiveImport[]; onCancel: (key: string) => void; onClear: () => void }) {
  if (props.items.length === 0) return null;
  const active = props.items.filter((i) => !i.error && !(i.info && ended(i.info))).length;
  return (
    <div class="uploads imports">
      <div class="uploads-head">
        <h3>Archive imports {active > 0 && <span class="muted">({active} in progress)</span>}</h3>
        {active === 0 && (
          <button class="button small" onClick={props.onClear}>
            Clear list
          </button>
        )}
      </div>
      <ul aria-live="polite">
        {props.items.map((i) => {
          const status = i.error ? "failed" : i.info ? i.info.status : "sending";
          const message = i.error ?? (i.info ? importMessage(i.info) : `sending the archive (${Math.round((i.sent ?? 0) * 100)}%)`);
          const running = !i.error && (!i.info || !ended(i.info));
          return (
            <li key={i.key} class={"upload import " + status} data-status={status} data-name={i.name}>
              <div class="upload-line">
                <span class="name" title={i.name}>{i.name}</span>
                <span class="size muted">{bytes(i.size)}</span>
                <span class={"badge " + (status === "done" ? "ok" : status === "failed" ? "bad" : status === "cancelled" ? "note" : "busy")}>
                  {status}
                </span>
              </div>
              {running && (
                <Progress label={`${i.name}: ${message}`} value={i.info ? importProgress(i.info) : i.sent} />
              )}
              <p class={"upload-message" + (status === "failed" ? " error-text" : "")}>
                {message}
                {i.info && running && (
                  <button type="button" class="link" onClick={() => props.onCancel(i.key)}>Cancel</button>
                )}
              </p>
              {i.info && i.info.skippedFiles.length > 0 && (
                <details class="small">
                  <summary>{i.info.skipped} skipped</summary>
                  <ul class="skipped">
                    {i.info.skippedFiles.map((s) => (
                      <li key={s.name}><span class="name">{s.name}</span>: <span class="muted">{s.reason}</span></li>
                    ))}
                  </ul>
                </details>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
