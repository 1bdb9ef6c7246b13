import { useEffect, useRef, useState } from "preact/hooks";
import { describeError, stream, type Citation, type Collection } from "../api";
import { applyAskEvent, emptyAnswer, finishAnswer, type AnswerState } from "../chat";
import { answerAsPlainText, evidence, locatorLabel, parseAnswer } from "../citations";
import { conversation, saveConversation, type Turn } from "../store";
import type { SourceTarget } from "./SourcePanel";

export function ChatPanel(props: { collection: Collection; onOpenSource: (t: SourceTarget, from?: HTMLElement | null) => void }) {
  const id = props.collection.id;
  const [turns, setTurns] = useState<Turn[]>(() => conversation(id));
  const [question, setQuestion] = useState("");
  const controller = useRef<AbortController | null>(null);
  const endRef = useRef<HTMLDivElement>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const busy = turns.some((t) => t.answer.status === "streaming");

  // Saved when no answer is streaming (not on every streamed piece).
  useEffect(() => {
    if (!busy) saveConversation(id, turns);
  }, [turns, id, busy]);
  useEffect(() => () => controller.current?.abort(), []);
  useEffect(() => endRef.current?.scrollIntoView?.({ block: "end" }), [turns.length, turns[turns.length - 1]?.answer.text]);

  const setAnswer = (turnId: string, f: (a: AnswerState) => AnswerState) =>
    setTurns((list) => list.map((t) => (t.id === turnId ? { ...t, answer: f(t.answer) } : t)));

  async function ask(e?: Event) {
    e?.preventDefault();
    const q = question.trim();
    if (!q || busy) return;
    const turn: Turn = { id: `t${Date.now()}`, question: q, answer: emptyAnswer() };
    setTurns((list) => [...list, turn]);
    setQuestion("");
    const c = new AbortController();
    controller.current = c;
    try {
      await stream(`/v1/collections/${encodeURIComponent(id)}/ask`, { method: "POST", body: { question: q }, signal: c.signal }, (ev) =>
        setAnswer(turn.id, (a) => applyAskEvent(a, ev)),
      );
      setAnswer(turn.id, finishAnswer);
    } catch (err) {
      if (c.signal.aborted) setAnswer(turn.id, (a) => ({ ...a, status: "stopped" }));
      else setAnswer(turn.id, (a) => ({ ...a, status: "error", error: describeError(err) }));
    } finally {
      controller.current = null;
      box.current?.focus();
    }
  }

  return (
    <div class="chat">
      <div class="thread" aria-label="Conversation">
        {turns.length === 0 && (
          <div class="empty chat-empty">
            <p>Ask a question about the documents in <strong>{props.collection.name}</strong>.</p>
            <p class="muted small">Answers quote the documents; each <span class="chip static">1</span> opens its source.</p>
          </div>
        )}
        {turns.map((t) => (
          <article key={t.id} class="turn">
            <div class="question">
              <span class="who">You</span>
              <p>{t.question}</p>
            </div>
            <AnswerView answer={t.answer} onOpen={(c, el) => props.onOpenSource(targetOf(c), el)} />
          </article>
        ))}
        <div ref={endRef} />
      </div>
      <form class="composer" onSubmit={ask}>
        <label for="question" class="visually-hidden">Question</label>
        <textarea
          id="question"
          ref={box}
          rows={2}
          value={question}
          placeholder={turns.length ? "Ask a follow-up question…" : "Ask a question…"}
          onInput={(e) => setQuestion(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.isComposing) ask(e);
          }}
        />
        <div class="composer-actions">
          {busy ? (
            <button type="button" class="button" onClick={() => controller.current?.abort()}>
              Stop
            </button>
          ) : (
            turns.length > 0 && (
              <button type="button" class="button" onClick={() => setTurns([])}>
                New chat
              </button>
            )
          )}
          <button type="submit" class="button primary" disabled={busy || !question.trim()}>
            Ask
          </button>
        </div>
      </form>
    </div>
  );
}

function targetOf(c: Citation): SourceTarget {
  return {
    documentId: c.documentId,
    filename: c.filename,
    mediaType: c.mediaType,
    locator: c.locator ?? null,
    quote: c.quote,
    verified: c.verified,
    title: `[${c.n}] ${c.filename ?? "source"}`,
  };
}

function AnswerView(props: { answer: AnswerState; onOpen: (c: Citation, el: HTMLElement) => void }) {
  const a = props.answer;
  const [copied, setCopied] = useState(false);
  const streaming = a.status === "streaming";
  const maxN = streaming ? Infinity : Math.max(0, ...a.citations.map((c) => c.n));
  const segments = parseAnswer(a.text, streaming, maxN);
  const unverified = a.citations.filter((c) => evidence(c) === "unverified");
  const weak = a.citations.filter((c) => evidence(c) === "weak");

  async function copy() {
    const text = answerAsPlainText(a.text, a.citations);
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      const area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  }

  return (
    <div class="answer" data-status={a.status} aria-busy={streaming}>
      <span class="who">Omnirag</span>
      <div class="answer-text" aria-live="polite">
        {a.text === "" && streaming && <span class="typing" role="status">Searching the documents…</span>}
        {segments.map((s, i) =>
          s.kind === "text" ? (
            <span key={i}>{s.text}</span>
          ) : (
            s.numbers.map((n) => {
              const c = a.citations.find((x) => x.n === n);
              const v = c ? evidence(c) : "unknown";
              const note = v === "unverified" ? " (unverified)" : v === "weak" ? " (weak evidence)" : "";
              return (
                <button
                  key={`${i}-${n}`}
                  type="button"
                  class={"chip" + (v === "unverified" || v === "weak" ? " " + v : "") + (c ? "" : " pending")}
                  disabled={!c}
                  data-n={n}
                  aria-label={c ? `Source ${n}: ${c.filename ?? "document"} ${locatorLabel(c.locator)}${note}` : `Source ${n}`}
                  title={c ? `${c.filename ?? ""} ${locatorLabel(c.locator)}${v === "unverified" ? " — quote not verified" : v === "weak" ? " — bears only weakly on the question" : ""}` : undefined}
                  onClick={(e) => c && props.onOpen(c, e.currentTarget)}
                >
                  {n}
                </button>
              );
            })
          ),
        )}
        {streaming && a.text !== "" && <span class="caret" aria-hidden="true" />}
      </div>
      {a.status === "error" && <p class="alert error" role="alert">{a.error}</p>}
      {a.status === "stopped" && <p class="muted small">Stopped.</p>}
      {a.fallback && a.fallbackReason && <p class="muted small">Note: {a.fallbackReason}</p>}
      {a.citations.length > 0 && (
        <div class="sources">
          <h4>Sources</h4>
          <ol>
            {a.citations.map((c) => {
              const v = evidence(c);
              return (
                <li key={c.n}>
                  <button type="button" class={"source-link" + (v === "unverified" ? " unverified" : "")} onClick={(e) => props.onOpen(c, e.currentTarget)}>
                    <span class="chip static">{c.n}</span>
                    <span class="source-name">{c.filename ?? "document"}</span>
                    {locatorLabel(c.locator) && <span class="muted">{locatorLabel(c.locator)}</span>}
                    {v === "unverified" && <span class="badge bad">unverified</span>}
                    {v === "weak" && <span class="badge warn" title="The passage bears only weakly on the question">weak evidence</span>}
                    {v === "strong" && <span class="badge ok" title="The passage bears strongly on the question">strong evidence</span>}
                  </button>
                </li>
              );
            })}
          </ol>
          {weak.length > 0 && unverified.length === 0 && (
            <p class="muted small">
              Sources marked “weak evidence” bear only weakly on the question: read them before relying on the answer.
            </p>
          )}
          {unverified.length > 0 && (
            <p class="warn small">
              {unverified.length} citation{unverified.length === 1 ? "" : "s"} could not be verified against the source text: check {unverified.length === 1 ? "it" : "them"} before relying on {unverified.length === 1 ? "it" : "them"}.
            </p>
          )}
        </div>
      )}
      {a.status === "done" && (
        <div class="answer-actions">
          <button type="button" class="button small" onClick={copy}>
            {copied ? "Copied" : "Copy answer"}
          </button>
          {a.generator && <span class="muted small">generator: {a.generator}</span>}
        </div>
      )}
    </div>
  );
}
