// The API key the UI sends (docs/security.md), as "Authorization: Bearer <key>" on every request, streams included
// (they are read with fetch, so the key never goes into a URL). Where it is kept is the person's choice: by default
// in this tab's sessionStorage (gone when the tab closes); in localStorage only when they tick "Remember on this
// device". A 401 from any call is announced to listeners, and the App opens the key dialog with the server's reason.

const STORAGE = "omnirag.apiKey.v1";
/** Set in localStorage beside a key the person chose to remember; a key there without it predates the choice. */
const REMEMBERED = "omnirag.apiKey.remembered";
let memoryKey: string | null = null;
const keyListeners = new Set<(key: string | null) => void>();
const unauthorizedListeners = new Set<(message: string) => void>();

function store(kind: "local" | "session"): Storage | null {
  try {
    const s = kind === "local" ? globalThis.localStorage : globalThis.sessionStorage;
    return s ?? null;
  } catch {
    return null;
  }
}

function read(kind: "local" | "session"): string | null {
  try {
    return store(kind)?.getItem(STORAGE) ?? null;
  } catch {
    return null;
  }
}

// A key an earlier version left in localStorage without the choice moves to this tab's session.
try {
  const local = store("local");
  if (local?.getItem(STORAGE) && local.getItem(REMEMBERED) !== "1") {
    store("session")?.setItem(STORAGE, local.getItem(STORAGE) as string);
    local.removeItem(STORAGE);
  }
} catch {
  // storage unavailable: memory only
}

/** The key in use, or null: this page's, this tab's session's, or the one remembered on this device. */
export function getKey(): string | null {
  return memoryKey ?? read("session") ?? read("local");
}

/** Whether the key in use is remembered on this device (localStorage) rather than kept for this tab. */
export function isRemembered(): boolean {
  try {
    return read("local") !== null && store("local")?.getItem(REMEMBERED) === "1";
  } catch {
    return false;
  }
}

/**
 * Uses a key (blank or null forgets it everywhere) and tells the listeners. With {@code remember} it is kept in
 * localStorage for later visits; otherwise in this tab's sessionStorage only.
 */
export function setKey(key: string | null, remember = false) {
  const k = key?.trim() || null;
  memoryKey = k;
  for (const kind of ["local", "session"] as const) {
    try {
      store(kind)?.removeItem(STORAGE);
      if (kind === "local") store(kind)?.removeItem(REMEMBERED);
    } catch {
      // nothing stored there
    }
  }
  if (k) {
    try {
      if (remember) {
        store("local")?.setItem(STORAGE, k);
        store("local")?.setItem(REMEMBERED, "1");
      } else {
        store("session")?.setItem(STORAGE, k);
      }
    } catch {
      // private mode or quota: the key lives in memory for this page
    }
  }
  keyListeners.forEach((l) => l(k));
}

export function onKeyChange(listener: (key: string | null) => void): () => void {
  keyListeners.add(listener);
  return () => keyListeners.delete(listener);
}

/** Headers with the key, when there is one. */
export function withKey(headers: Record<string, string> = {}): Record<string, string> {
  const k = getKey();
  return k ? { ...headers, Authorization: `Bearer ${k}` } : headers;
}

export function onUnauthorized(listener: (message: string) => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/** Tells the listeners that the server refused the key (or its absence). */
export function unauthorized(message: string) {
  unauthorizedListeners.forEach((l) => l(message));
}

/** fetch with the key; a 401 answer is announced (the caller still gets the response). */
export async function authedFetch(input: string, init: RequestInit = {}): Promise<Response> {
  const headers = withKey((init.headers as Record<string, string> | undefined) ?? {});
  const res = await fetch(input, { ...init, headers });
  if (res.status === 401) {
    let detail = "";
    try {
      const problem = await res.clone().json();
      detail = problem?.detail ?? "";
    } catch {
      // not a problem document
    }
    unauthorized(
      getKey()
        ? `The server refused the stored API key${detail ? ` (${detail})` : ""}. Enter another key.`
        : "This server needs an API key. Enter yours (an admin finds the first one in the data directory, admin.key).",
    );
  }
  return res;
}
