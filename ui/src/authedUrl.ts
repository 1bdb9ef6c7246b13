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
 * Saves an uploaded file (its original bytes) to the person's downloads. It is never opened at this origin, neither
 * at its own URL nor as a blob: URL made here: an uploaded HTML or SVG file would run there with access to the
 * stored API key. With a key, the bytes are fetched with it and saved from a blob: URL through a download link;
 * without one, the link's own download does it (the server also sends it as an attachment for active types).
 */
export async function downloadWithKey(e: Event, url: string, filename: string) {
  if (!getKey()) return;
  e.preventDefault();
  try {
    const res = await authedFetch(url);
    if (!res.ok) throw await errorFrom(res);
    const blobUrl = URL.createObjectURL(await res.blob());
    const a = document.createElement("a");
    a.href = blobUrl;
    a.download = filename;
    a.rel = "noopener";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(blobUrl), 60_000);
  } catch (err) {
    window.alert(describeError(err));
  }
}
