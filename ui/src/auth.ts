// The API key the UI sends (docs/security.md): kept in localStorage, sent as "Authorization: Bearer <key>" on
// every request, streams included (they are read with fetch, so the key never goes into a URL). A 401 from any call
// is announced to listeners, and the App opens the key dialog with the server's reason.

const STORAGE = "omnirag.apiKey.v1";
let memoryKey: string | null = null;
const keyListeners = new Set<(key: string | null) => void>();
const unauthorizedListeners = new Set<(message: string) => void>();

function storage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

/** The stored key, or null. */
export function getKey(): string | null {
  try {
    return storage()?.getItem(STORAGE) ?? memoryKey;
  } catch {
    return memoryKey;
  }
}

/** Stores a key (blank or null forgets it) and tells the listeners. */
export function setKey(key: string | null) {
  const k = key?.trim() || null;
  memoryKey = k;
  try {
    if (k) storage()?.setItem(STORAGE, k);
    else storage()?.removeItem(STORAGE);
  } catch {
    // private mode or quota: the key lives in memory for this page
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
