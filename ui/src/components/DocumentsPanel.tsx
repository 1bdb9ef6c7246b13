import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { api, describeError, type Collection, type DocumentInfo } from "../api";
import { bytes, date, kind } from "../format";
import { EPUB } from "../citations";
import { useStore } from "../state";
import { clearFinished, documentChanges, enqueue, uploads as queue } from "../uploadQueue";
import { finished, type UploadItem } from "../uploads";
import { isArchive } from "../imports";
import { ConfirmDialog } from "./ConfirmDialog";
import { ImportsList, useArchiveImports } from "./ImportsList";
import type { SourceTarget } from "./SourcePanel";
import { UploadStatus } from "./UploadStatus";

export function DocumentsPanel(props: {
  collection: Collection;
  onOpenSource: (t: SourceTarget, from?: HTMLElement | null) => void;
  onCount: (n: number) => void;
}) {
  const id = props.collection.id;
  const [docs, setDocs] = useState<DocumentInfo[] | null>(null);
  /** How many the collection holds when that is more than the table shows. */
  const [total, setTotal] = useState<number | null>(null);
  /** Whether documents past the table are still being indexed. */
  const [processingBeyond, setProcessingBeyond] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const all = useStore(queue);
  const uploads = all.filter((u) => u.collectionId === id);
  const change = useStore(documentChanges);
  const [dragging, setDragging] = useState(false);
  // The server says what it reads (OCR and speech add images and audio); until it answers, the formats every
  // server reads.
  const [fileTypes, setFileTypes] = useState(
    "PDF, Word, PowerPoint, Excel, OpenDocument, RTF, EPUB, HTML, Markdown, plain text, Jupyter notebooks and e-mail (.eml, .emlx)",
  );
  useEffect(() => {
    let live = true;
    api.capabilities().then((c) => live && c.fileTypes && setFileTypes(c.fileTypes)).catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  const [toDelete, setToDelete] = useState<DocumentInfo | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const { onCount } = props;
  const refresh = useCallback(async () => {
    try {
      // One page: an imported archive can hold tens of thousands, listed again every two seconds while indexing.
      const list = await api.documents(id, PAGE);
      setDocs(list);
      const counts = list.length < PAGE ? undefined : await api.documentCounts(id);
      const all = counts?.total ?? list.length;
      setTotal(all > list.length ? all : null);
      setProcessingBeyond((counts?.processing ?? 0) > 0);
      onCount(all);
      setError(null);
    } catch (e) {
      setError(describeError(e));
    }
  }, [id, onCount]);

  useEffect(() => {
    refresh();
  }, [refresh]);
  // An upload of this collection (running here or in the background) was accepted or finished.
  useEffect(() => {
    if (change?.collectionId === id) refresh();
    // Runs for each reported change only; a new collection id is refreshed by the effect above.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [change]);

  // While something is being indexed, keep the table's status and chunk counts fresh.
  const processing = processingBeyond || (docs?.some((d) => d.status === "processing") ?? false);
  useEffect(() => {
    if (!processing) return;
    const t = setInterval(refresh, 2000);
    return () => clearInterval(t);
  }, [processing, refresh]);

  const archives = useArchiveImports(id, () => refresh());

  /** Documents are uploaded one request each; archives (zip, tar) and mailboxes (mbox) are imported, each file or message a document. */
  function addFiles(files: File[]) {
    files.filter((f) => isArchive(f.name)).forEach((f) => archives.start(f));
    const documents = files.filter((f) => !isArchive(f.name));
    if (documents.length > 0) enqueue(props.collection, documents);
  }

  async function remove() {
    if (!toDelete) return;
    setDeleting(true);
    setDeleteError(null);
    try {
      await api.deleteDocument(toDelete.id);
      setToDelete(null);
      refresh();
    } catch (e) {
      setDeleteError(describeError(e));
    } finally {
      setDeleting(false);
    }
  }

  const active = uploads.filter((u) => !finished(u)).length;

  return (
    <div class="documents">
      <section aria-labelledby="upload-title">
        <h2 id="upload-title" class="visually-hidden">Upload</h2>
        <div
          class={"dropzone" + (dragging ? " dragging" : "")}
          onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            addFiles(Array.from(e.dataTransfer?.files ?? []));
          }}
        >
          <p>
            <strong>Drop files here</strong> or{" "}
            <button class="button primary" onClick={() => input.current?.click()}>
              Choose files…
            </button>
          </p>
          <p class="muted small">{fileTypes}. Several at once; a zip or tar archive is imported file by file, an mbox mailbox message by message.</p>
          <input
            ref={input}
            id="file-input"
            class="visually-hidden"
            type="file"
            multiple
            aria-label="Files to upload"
            tabIndex={-1}
            onChange={(e) => {
              const files = Array.from(e.currentTarget.files ?? []);
              e.currentTarget.value = "";
              addFiles(files);
            }}
          />
        </div>
        <ImportsList items={archives.items} onCancel={archives.cancel} onClear={archives.clear} />
        {uploads.length > 0 && (
          <div class="uploads">
            <div class="uploads-head">
              <h3>Uploads {active > 0 && <span class="muted">({active} in progress)</span>}</h3>
              {active === 0 && (
                <button class="button small" onClick={() => clearFinished(id)}>
                  Clear list
                </button>
              )}
            </div>
            <ul aria-live="polite">
              {uploads.map((u) => (
                <li key={u.key} class={"upload " + u.phase} data-phase={u.phase} data-name={u.name}>
                  <div class="upload-line">
                    <span class="name" title={u.name}>{u.name}</span>
                    <span class="size muted">{bytes(u.size)}</span>
                    <span class={"badge " + badgeClass(u.phase)}>{phaseLabel(u.phase)}</span>
                  </div>
                  <UploadStatus upload={u} />
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>

      <section aria-labelledby="docs-title">
        <h2 id="docs-title">Documents</h2>
        {error && (
          <div class="alert error" role="alert">
            {error} <button class="link" onClick={refresh}>Try again</button>
          </div>
        )}
        {docs === null && !error && <p class="muted" role="status">Loading documents…</p>}
        {docs && total !== null && (
          <p class="muted" role="status">
            Showing the first {docs.length} of {total} documents.
          </p>
        )}
        {docs?.length === 0 && <p class="empty">No documents yet. Upload some above.</p>}
        {docs && docs.length > 0 && (
          <div class="table-wrap">
            <table class="docs">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Type</th>
                  <th scope="col" class="num">Size</th>
                  <th scope="col">Status</th>
                  <th scope="col" class="num">Chunks</th>
                  <th scope="col"><span class="visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {docs.map((d) => (
                  <tr key={d.id} data-status={d.status}>
                    <td class="name">
                      <span title={d.filename}>{d.filename}</span>
                      <span class="muted small block">{date(d.createdAt)}{d.pageCount ? ` · ${d.pageCount} ${d.mediaType === EPUB ? "sections" : "pages"}` : ""}</span>
                    </td>
                    <td data-label="Type">{kind(d.mediaType)}</td>
                    <td data-label="Size" class="num">{bytes(d.sizeBytes)}</td>
                    <td data-label="Status" class="status">
                      <span class={"badge " + statusClass(d.status)}>{d.status}</span>
                      {d.status === "failed" && d.error && <span class="error-text small block">{d.error}</span>}
                    </td>
                    <td data-label="Chunks" class="num">{d.chunkCount}</td>
                    <td class="actions">
                      <div class="row-actions">
                      <button
                        class="button small"
                        onClick={(e) =>
                          props.onOpenSource(
                            { documentId: d.id, filename: d.filename, mediaType: d.mediaType, locator: d.mediaType === "application/pdf" ? { page: 1 } : null, title: d.filename },
                            e.currentTarget,
                          )}
                        aria-label={`Open ${d.filename}`}
                      >
                        Open
                      </button>
                      <button class="button small danger-outline" onClick={() => { setDeleteError(null); setToDelete(d); }} aria-label={`Delete ${d.filename}`}>
                        Delete
                      </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {toDelete && (
        <ConfirmDialog
          title={`Delete “${toDelete.filename}”?`}
          confirmLabel="Delete document"
          busy={deleting}
          error={deleteError}
          onConfirm={remove}
          onCancel={() => setToDelete(null)}
        >
          <p>Its chunks leave the index at once. It cannot be undone.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function phaseLabel(p: UploadItem["phase"]): string {
  return { waiting: "waiting", uploading: "uploading", queued: "queued", processing: "indexing", done: "done", duplicate: "duplicate", failed: "failed" }[p];
}
function badgeClass(p: UploadItem["phase"]): string {
  return p === "done" ? "ok" : p === "failed" ? "bad" : p === "duplicate" ? "note" : "busy";
}
function statusClass(s: string): string {
  return s === "ready" ? "ok" : s === "failed" ? "bad" : "busy";
}

/** Documents the table lists at most. */
const PAGE = 1000;
