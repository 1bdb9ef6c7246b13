import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError, describeError } from "../api";
import { getKey, isRemembered, setKey } from "../auth";

/**
 * Where a person enters the API key (native <dialog>). The key is checked with GET /v1/keys/me before the dialog
 * closes; "Forget" removes it from this browser.
 */
export function KeyDialog(props: { reason?: string | null; onDone: (saved: boolean) => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [value, setValue] = useState(getKey() ?? "");
  const [remember, setRemember] = useState(isRemembered());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    d?.querySelector<HTMLInputElement>("#api-key")?.focus();
  }, []);

  async function save(e: Event) {
    e.preventDefault();
    const previous = getKey();
    const previousRemembered = isRemembered();
    setBusy(true);
    setError(null);
    setKey(value, remember);
    try {
      await api.me();
      props.onDone(true);
    } catch (err) {
      setKey(previous, previousRemembered);
      setError(err instanceof ApiError && err.status === 401 ? `That key was refused: ${err.message}` : describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog ref={ref} class="dialog" aria-labelledby="key-title" onCancel={(e) => { e.preventDefault(); props.onDone(false); }}>
      <form onSubmit={save}>
        <h2 id="key-title">API key</h2>
        {props.reason && <p class="alert error" role="alert">{props.reason}</p>}
        <div class="dialog-body">
          <label for="api-key">Key</label>
          <input
            id="api-key"
            type="password"
            autoComplete="off"
            spellcheck={false}
            placeholder="omr_…"
            value={value}
            onInput={(e) => setValue((e.target as HTMLInputElement).value)}
          />
          <label class="check">
            <input type="checkbox" checked={remember} onChange={(e) => setRemember((e.target as HTMLInputElement).checked)} />
            Remember on this device
          </label>
          <p class="muted small">
            Sent with every request to this server. Without "remember", the key is kept for this tab only and forgotten
            when it closes; with it, it stays in this browser until you choose Forget.
          </p>
        </div>
        {error && <p class="alert error" role="alert">{error}</p>}
        <div class="dialog-actions">
          <button type="button" class="button cancel" onClick={() => props.onDone(false)} disabled={busy}>
            Cancel
          </button>
          {getKey() && (
            <button type="button" class="button" disabled={busy} onClick={() => { setKey(null); props.onDone(true); }}>
              Forget
            </button>
          )}
          <button type="submit" class="button primary" disabled={busy || !value.trim()}>
            {busy ? "Checking…" : "Save key"}
          </button>
        </div>
      </form>
    </dialog>
  );
}
