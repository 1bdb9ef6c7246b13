// Images, audio and original files are loaded by the browser from a URL, which cannot carry the Authorization
// header. With a key stored they are fetched with the key and shown from a blob: URL instead; without one the
// plain URL is used as before (authentication off).
import { useEffect, useState } from "preact/hooks";
import { describeError, errorFrom } from "./api";
import { authedFetch, getKey, onKeyChange } from "./auth";

/** The stored key, re-rendering the component when it changes. */
export function useApiKey(): string | null {
  const [key, setKeyState] = useState(getKey());
  useEffect(() => onKeyChange(setKeyState), []);
  return key;
}

/** A URL an element may load: the plain one without a key, a blob: URL of the fetched bytes with one. */
export function useAuthedSrc(url: string): { src?: string; error: string | null } {
  const key = useApiKey();
  const [state, setState] = useState<{ url: string; src?: string; error: string | null }>({ url: "", error: null });
  useEffect(() => {
    if (!key) return;
    const c = new AbortController();
    let objectUrl: string | undefined;
    setState({ url, error: null });
    authedFetch(url, { signal: c.signal })
      .then(async (res) => {
        if (!res.ok) throw await errorFrom(res);
        objectUrl = URL.createObjectURL(await res.blob());
        if (c.signal.aborted) URL.revokeObjectURL(objectUrl);
        else setState({ url, src: objectUrl, error: null });
      })
      .catch((e) => {
        if (!c.signal.aborted) setState({ url, error: describeError(e) });
      });
    return () => {
      c.abort();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [url, key]);
  if (!key) return { src: url, error: null };
  return state.url === url ? state : { error: null };
}

/**
 * Opens a file in a new tab. Without a key the link's own navigation does it; with one, the bytes are fetched with
 * the key and the tab shows them from a blob: URL ({@code fragment} such as "#page=3" is kept).
 */
export async function openWithKey(e: Event, url: string, fragment = "") {
  if (!getKey()) return;
  e.preventDefault();
  const tab = window.open("", "_blank");
  try {
    const res = await authedFetch(url);
    if (!res.ok) throw await errorFrom(res);
    const blobUrl = URL.createObjectURL(await res.blob());
    if (tab) tab.location.href = blobUrl + fragment;
    else window.location.assign(blobUrl + fragment);
  } catch (err) {
    tab?.close();
    window.alert(describeError(err));
  }
}
