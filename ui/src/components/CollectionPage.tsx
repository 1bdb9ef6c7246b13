import { useEffect, useRef, useState } from "preact/hooks";
import { api, describeError, type Collection } from "../api";
import { href, type Tab } from "../router";
import { forget } from "../conversations";
import { ChatPanel } from "./ChatPanel";
import { ConfirmDialog } from "./ConfirmDialog";
import { DocumentsPanel } from "./DocumentsPanel";
import { SearchPanel } from "./SearchPanel";
import { SourcePanel, type SourceTarget } from "./SourcePanel";

const TABS: { id: Tab; label: string }[] = [
  { id: "chat", label: "Chat" },
  { id: "documents", label: "Documents" },
  { id: "search", label: "Search" },
];

export function CollectionPage(props: { collection: Collection; tab: Tab; onChanged: () => void; onDeleted: () => void }) {
  const c = props.collection;
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(c.name);
  const [description, setDescription] = useState(c.description ?? "");
  const [saving, setSaving] = useState(false);
  const [editError, setEditError] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [docCount, setDocCount] = useState<number | null>(null);
  const [source, setSource] = useState<SourceTarget | null>(null);
  const opener = useRef<HTMLElement | null>(null);

  useEffect(() => setSource(null), [props.tab]);

  function openSource(target: SourceTarget, from?: HTMLElement | null) {
    opener.current = from ?? (document.activeElement as HTMLElement | null);
    setSource(target);
  }
  function closeSource() {
    setSource(null);
    opener.current?.focus();
  }

  async function save(e: Event) {
    e.preventDefault();
    setSaving(true);
    setEditError(null);
    try {
      const change: { name?: string; description?: string } = {};
      if (name.trim() !== c.name) change.name = name.trim();
      if (description !== (c.description ?? "")) change.description = description;
      if (change.name !== undefined || change.description !== undefined) await api.updateCollection(c.id, change);
      setEditing(false);
      props.onChanged();
    } catch (err) {
      setEditError(describeError(err));
    } finally {
      setSaving(false);
    }
  }

  async function remove() {
    setDeleting(true);
    setDeleteError(null);
    try {
      await api.deleteCollection(c.id);
      forget(c.id);
      setConfirmDelete(false);
      props.onDeleted();
    } catch (err) {
      setDeleteError(describeError(err));
    } finally {
      setDeleting(false);
    }
  }

  return (
    <div class={"collection" + (source ? " with-source" : "")}>
      <div class="collection-main">
        <div class="collection-head">
          {editing ? (
            <form class="rename" onSubmit={save} aria-label="Rename collection">
              <label>
                Name
                <input value={name} required maxLength={200} onInput={(e) => setName(e.currentTarget.value)} autoFocus />
              </label>
              <label class="grow">
                Description
                <input value={description} maxLength={4000} onInput={(e) => setDescription(e.currentTarget.value)} />
              </label>
              <div class="row">
                <button type="submit" class="button primary" disabled={saving || !name.trim()}>
                  {saving ? "Saving…" : "Save"}
                </button>
                <button type="button" class="button" onClick={() => { setEditing(false); setName(c.name); setDescription(c.description ?? ""); setEditError(null); }}>
                  Cancel
                </button>
              </div>
              {editError && <p class="alert error" role="alert">{editError}</p>}
            </form>
          ) : (
            <div class="title-row">
              <div>
                <h1>{c.name}</h1>
                {c.description && <p class="muted">{c.description}</p>}
              </div>
              <div class="row">
                <button class="button" onClick={() => { setName(c.name); setDescription(c.description ?? ""); setEditing(true); }}>
                  Rename
                </button>
                <button class="button danger-outline" onClick={() => { setDeleteError(null); setConfirmDelete(true); api.documentCounts(c.id).then((d) => setDocCount(d?.total ?? null), () => undefined); }}>
                  Delete
                </button>
              </div>
            </div>
          )}
          <nav class="tabs" aria-label="Collection views">
            {TABS.map((t) => (
              <a key={t.id} href={href({ page: "collection", id: c.id, tab: t.id })} aria-current={props.tab === t.id ? "page" : undefined}>
                {t.label}
              </a>
            ))}
          </nav>
        </div>
        <div class="tab-body">
          {props.tab === "chat" && <ChatPanel collection={c} onOpenSource={openSource} />}
          {props.tab === "documents" && <DocumentsPanel collection={c} onOpenSource={openSource} onCount={setDocCount} />}
          {props.tab === "search" && <SearchPanel collection={c} onOpenSource={openSource} />}
        </div>
      </div>
      {source && <SourcePanel key={JSON.stringify(source)} target={source} onClose={closeSource} />}
      {confirmDelete && (
        <ConfirmDialog
          title={`Delete “${c.name}”?`}
          confirmLabel="Delete collection"
          busy={deleting}
          error={deleteError}
          onConfirm={remove}
          onCancel={() => setConfirmDelete(false)}
        >
          <p>
            This removes the collection{docCount !== null ? ` and its ${docCount} document${docCount === 1 ? "" : "s"}` : " and all its documents"},
            their index and the original files no other collection uses. It cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
