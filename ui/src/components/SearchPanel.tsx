import { useState } from "preact/hooks";
import { api, describeError, type Collection, type SearchResponse } from "../api";
import { locatorLabel } from "../citations";
import type { SourceTarget } from "./SourcePanel";

const MODES = [
  { id: "hybrid", label: "Hybrid (keyword + meaning)" },
  { id: "keyword", label: "Keyword (BM25)" },
  { id: "vector", label: "Meaning (vector)" },
];

export function SearchPanel(props: { collection: Collection; onOpenSource: (t: SourceTarget, from?: HTMLElement | null) => void }) {
  const [query, setQuery] = useState("");
  const [mode, setMode] = useState("hybrid");
  const [k, setK] = useState(10);
  const [image, setImage] = useState<{ name: string; dataUrl: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<SearchResponse | null>(null);
  // Image queries need an embedder with an image tower; collections say so in their modalities once the
  // server has them (docs/api.md). Until then the control is not offered.
  const imageQueries = props.collection.modalities?.includes("image") ?? false;

  async function search(e: Event) {
    e.preventDefault();
    if (!query.trim() && !image) return;
    setBusy(true);
    setError(null);
    try {
      setResult(await api.search(props.collection.id, { query: query.trim() || undefined, mode, k, imageUrl: image?.dataUrl }));
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="search">
      <form class="search-form" onSubmit={search} role="search">
        <label class="grow">
          Query
          <input type="search" value={query} placeholder="e.g. nested trace trees" onInput={(e) => setQuery(e.currentTarget.value)} />
        </label>
        <label>
          Mode
          <select value={mode} onChange={(e) => setMode(e.currentTarget.value)}>
            {MODES.map((m) => (
              <option key={m.id} value={m.id}>{m.label}</option>
            ))}
          </select>
        </label>
        <label>
          Results
          <select value={k} onChange={(e) => setK(Number(e.currentTarget.value))}>
            {[5, 10, 20, 50].map((n) => (
              <option key={n} value={n}>{n}</option>
            ))}
          </select>
        </label>
        {imageQueries && (
          <label>
            <span>Image query <span class="muted">(optional)</span></span>
            <input
              type="file"
              accept="image/*"
              onChange={(e) => {
                const f = e.currentTarget.files?.[0];
                if (!f) return setImage(null);
                const reader = new FileReader();
                reader.onload = () => setImage({ name: f.name, dataUrl: String(reader.result) });
                reader.readAsDataURL(f);
              }}
            />
          </label>
        )}
        <button type="submit" class="button primary" disabled={busy || (!query.trim() && !image)}>
          {busy ? "Searching…" : "Search"}
        </button>
      </form>
      {error && <p class="alert error" role="alert">{error}</p>}
      {busy && <p class="muted" role="status">Searching…</p>}
      {result && !busy && (
        <section aria-label="Search results">
          <p class="muted small" role="status">
            {result.results.length} result{result.results.length === 1 ? "" : "s"} · {result.mode}
            {result.mode === "hybrid" ? ` (${result.fusion})` : ""} · {result.tookMs} ms
          </p>
          {result.results.length === 0 && <p class="empty">Nothing found. Try other words or another mode.</p>}
          <ol class="results">
            {result.results.map((r, i) => (
              <li key={r.chunkId} class="result card">
                <button
                  type="button"
                  class="result-open"
                  onClick={(e) =>
                    props.onOpenSource(
                      { documentId: r.documentId, filename: r.filename, mediaType: r.mediaType, locator: r.locator ?? null, quote: r.text, title: `#${i + 1} ${r.filename}` },
                      e.currentTarget,
                    )}
                >
                  <span class="result-title">{r.filename}</span>
                  {locatorLabel(r.locator, r.mediaType) && <span class="muted">{locatorLabel(r.locator, r.mediaType)}</span>}
                  <span class="score" title="score (compare within one result list only)">{r.score.toFixed(4)}</span>
                </button>
                <p class="snippet">{snippet(r.text)}</p>
              </li>
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}

function snippet(text: string): string {
  const t = text.replace(/\s+/g, " ").trim();
  return t.length > 420 ? t.slice(0, 420) + "…" : t;
}
