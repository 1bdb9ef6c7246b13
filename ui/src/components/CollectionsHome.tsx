import { useEffect, useState } from "preact/hooks";
import { api, describeError, type Collection } from "../api";
import { date } from "../format";
import { href } from "../router";

export function CollectionsHome(props: { collections: Collection[] | null; onCreated: (c: Collection) => void }) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [counts, setCounts] = useState<Record<string, number | undefined>>({});

  useEffect(() => {
    let live = true;
    for (const c of props.collections?.slice(0, 50) ?? []) {
      // The collection view carries its counts; older servers are asked for the list.
      if (counts[c.id] !== undefined || c.documents) continue;
      api.documents(c.id).then(
        (docs) => live && setCounts((m) => ({ ...m, [c.id]: docs.length })),
        () => undefined,
      );
    }
    return () => {
      live = false;
    };
    // `counts` only skips collections already counted: re-running on each count would refetch nothing new.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.collections]);

  async function create(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const c = await api.createCollection(name.trim(), description.trim());
      setName("");
      setDescription("");
      props.onCreated(c);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="page">
      <h1>Collections</h1>
      <p class="lead">A collection is a set of documents you search and chat with. Create one, then upload files to it.</p>
      <form class="card create" onSubmit={create} aria-labelledby="create-title">
        <h2 id="create-title">New collection</h2>
        <div class="fields">
          <label>
            Name
            <input id="new-name" name="name" required maxLength={200} value={name} placeholder="e.g. papers"
              onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <label class="grow">
            <span>Description <span class="muted">(optional)</span></span>
            <input name="description" maxLength={4000} value={description} placeholder="What is in it"
              onInput={(e) => setDescription(e.currentTarget.value)} />
          </label>
          <button type="submit" class="button primary" disabled={busy || !name.trim()}>
            {busy ? "Creating…" : "Create collection"}
          </button>
        </div>
        {error && <p class="alert error" role="alert">{error}</p>}
      </form>
      {props.collections === null ? (
        <p class="muted" role="status">Loading collections…</p>
      ) : props.collections.length === 0 ? (
        <p class="empty">No collections yet: create the first one above.</p>
      ) : (
        <ul class="cards" aria-label="All collections">
          {props.collections.map((c) => (
            <li key={c.id} class="card collection-card">
              <h3>
                <a href={href({ page: "collection", id: c.id, tab: "chat" })}>{c.name}</a>
              </h3>
              {c.description && <p>{c.description}</p>}
              <p class="meta">
                <DocumentCount n={c.documents?.total ?? counts[c.id]} />
                {c.createdAt && <span>created {date(c.createdAt)}</span>}
                {c.embeddingSpace && <span title="embedding space">{c.embeddingSpace}</span>}
              </p>
              <p class="card-actions">
                <a class="button small" href={href({ page: "collection", id: c.id, tab: "chat" })}>Chat</a>
                <a class="button small" href={href({ page: "collection", id: c.id, tab: "documents" })}>Documents</a>
                <a class="button small" href={href({ page: "collection", id: c.id, tab: "search" })}>Search</a>
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function DocumentCount(props: { n: number | undefined }) {
  return <span>{props.n === undefined ? "…" : `${props.n} document${props.n === 1 ? "" : "s"}`}</span>;
}
