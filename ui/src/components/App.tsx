import { useCallback, useEffect, useErrorBoundary, useState } from "preact/hooks";
import { api, describeError, type Collection, type Me } from "../api";
import { onUnauthorized } from "../auth";
import { useApiKey } from "../authedUrl";
import { KeyDialog } from "./KeyDialog";
import { go, href, useRoute } from "../router";
import { CollectionPage } from "./CollectionPage";
import { CollectionsHome } from "./CollectionsHome";
import { UploadTray } from "./UploadTray";

export function App() {
  // A bug in a view must not leave a blank page: show what happened and a way out.
  const [crash, resetCrash] = useErrorBoundary((e) => console.error(e));
  const route = useRoute();
  const [collections, setCollections] = useState<Collection[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const key = useApiKey();
  const [me, setMe] = useState<Me | null>(null);
  // The key dialog: closed (null), or open with the reason it opened ("" when the person asked for it).
  const [keyReason, setKeyReason] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      setCollections(await api.collections());
      setLoadError(null);
    } catch (e) {
      setLoadError(describeError(e));
    }
  }, []);

  useEffect(() => {
    refresh();
  }, [refresh, key]);

  // Back on the collections page, their document counts are read again (uploads may have happened meanwhile).
  const onHome = route.page === "home";
  useEffect(() => {
    if (onHome) refresh();
  }, [onHome, refresh]);

  useEffect(() => onUnauthorized((message) => setKeyReason((open) => open ?? message)), []);

  useEffect(() => {
    api.me().then(setMe, () => setMe(null));
  }, [key]);

  const current = route.page === "collection" ? collections?.find((c) => c.id === route.id) : undefined;

  const currentName = current?.name;
  useEffect(() => {
    document.title = currentName ? `${currentName} · Omnirag` : "Omnirag";
  }, [currentName]);

  return (
    <div class="shell">
      <a class="skip" href="#main">Skip to content</a>
      <header class="topbar">
        <a class="brand" href="#/" aria-label="Omnirag: all collections">
          <span class="logo" aria-hidden="true">O</span>
          <span>Omnirag</span>
        </a>
        {current && (
          <nav class="crumbs" aria-label="Breadcrumb">
            <a href="#/">Collections</a>
            <span aria-hidden="true">/</span>
            <span aria-current="page">{current.name}</span>
          </nav>
        )}
        {me?.authEnabled !== false && (
          <button class="button small key-button" onClick={() => setKeyReason("")} aria-haspopup="dialog"
            title={me ? `Using key "${me.name}"${me.admin ? " (admin)" : ""}` : "Enter an API key"}>
            {me ? `Key: ${me.name}` : "API key"}
          </button>
        )}
      </header>
      {keyReason !== null && (
        <KeyDialog
          reason={keyReason || null}
          onDone={() => {
            setKeyReason(null);
          }}
        />
      )}
      <div class="layout">
        <aside class="sidebar" aria-label="Collections">
          <div class="sidebar-head">
            <h2>Collections</h2>
            <a class="button small" href="#/" onClick={() => setTimeout(() => document.getElementById("new-name")?.focus(), 0)}>
              New
            </a>
          </div>
          {collections === null && !loadError && <p class="muted">Loading…</p>}
          {collections?.length === 0 && <p class="muted">None yet.</p>}
          <ul class="collection-nav">
            {collections?.map((c) => (
              <li key={c.id}>
                <a
                  href={href({ page: "collection", id: c.id, tab: route.page === "collection" ? route.tab : "chat" })}
                  aria-current={route.page === "collection" && route.id === c.id ? "page" : undefined}
                >
                  {c.name}
                </a>
              </li>
            ))}
          </ul>
        </aside>
        <main id="main" class="main" tabIndex={-1}>
          {loadError && (
            <div class="alert error" role="alert">
              <strong>Cannot load collections.</strong> {loadError}{" "}
              <button class="link" onClick={refresh}>
                Try again
              </button>
            </div>
          )}
          {crash && (
            <div class="alert error" role="alert">
              <strong>Something went wrong in this view:</strong> {String(crash?.message ?? crash)}{" "}
              <button class="link" onClick={() => { resetCrash(); refresh(); }}>
                Try again
              </button>
            </div>
          )}
          {!crash && route.page === "home" && (
            <CollectionsHome
              collections={collections}
              onCreated={async (c) => {
                await refresh();
                go({ page: "collection", id: c.id, tab: "documents" });
              }}
            />
          )}
          {!crash && route.page === "collection" && collections !== null && !current && (
            <div class="alert error" role="alert">
              There is no collection with id <code>{route.id}</code> (it may have been deleted). <a href="#/">All collections</a>
            </div>
          )}
          {!crash && route.page === "collection" && current && (
            <CollectionPage
              key={current.id}
              collection={current}
              tab={route.tab}
              onChanged={refresh}
              onDeleted={async () => {
                await refresh();
                go({ page: "home" });
              }}
            />
          )}
        </main>
      </div>
      <UploadTray />
    </div>
  );
}
