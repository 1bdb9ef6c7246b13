import { useEffect, useRef, useState } from "preact/hooks";
import { describeError, type Citation, type Collection, type ConversationSummary } from "../api";
import type { AnswerState } from "../chat";
import { answerAsPlainText, evidence, locatorLabel, parseAnswer } from "../citations";
import { ask, busy, chatOf, listOf, newChat, open, rate, refreshList, remove, rename, retry, stop } from "../conversations";
import { date } from "../format";
import { Markdown } from "../markdown";
import { useStore } from "../state";
import { ConfirmDialog } from "./ConfirmDialog";
import { Pencil, ThumbDown, ThumbUp, Trash } from "./Icons";
import type { SourceTarget } from "./SourcePanel";

export function ChatPanel(props: { collection: Collection; onOpenSource: (t: SourceTarget, from?: HTMLElement | null) => void }) {
  const id = props.collection.id;
  const chat = useStore(chatOf(id));
  const [question, setQuestion] = useState("");
  const endRef = useRef<HTMLDivElement>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const streaming = busy(chat);
  const last = chat.turns[chat.turns.length - 1];

  // The newest turn is brought into view above the question box as it grows.
  useEffect(() => endRef.current?.scrollIntoView?.({ block: "end" }), [chat.turns.length, last?.answer.text, last?.answer.status]);

  function submit(e?: Event) {
    e?.preventDefault();
    const q = question.trim();
    if (!q || streaming) return;
    setQuestion("");
    void ask(id, q).finally(() => box.current?.focus());
  }

  return (
    <div class="chat-layout">
      <ConversationList collectionId={id} current={chat.conversationId} locked={streaming} />
      <div class="chat">
        <div class="thread" aria-label="Conversation">
          {chat.error && <p class="alert error" role="alert">{chat.error}</p>}
          {chat.loading && <p class="muted" role="status">Opening the conversation…</p>}
          {!chat.loading && chat.turns.length === 0 && (
            <div class="empty chat-empty">
              <p>Ask a question about the documents in <strong>{props.collection.name}</strong>.</p>
              <p class="muted small">Answers quote the documents; each <span class="chip static">1</span> opens its source. Follow-up questions understand the conversation.</p>
            </div>
          )}
          {chat.turns.map((t) => (
            <article key={t.id} class="turn" data-turn={t.n ?? ""}>
              <div class="question">
                <span class="who">You</span>
                <p>{t.question}</p>
              </div>
              <AnswerView
                answer={t.answer}
                feedback={t.feedback}
                onRate={t.n !== undefined && t.answer.status === "done" ? (r) => void rate(id, t.id, r) : undefined}
                onRetry={t.answer.status === "error" && !streaming ? () => void retry(id, t.id) : undefined}
                onOpen={(c, el) => props.onOpenSource(targetOf(c), el)}
              />
            </article>
          ))}
          <div ref={endRef} class="thread-end" />
        </div>
        <form class="composer" onSubmit={submit}>
          <label for="question" class="visually-hidden">Question</label>
          <textarea
            id="question"
            ref={box}
            rows={2}
            value={question}
            placeholder={chat.turns.length ? "Ask a follow-up question…" : "Ask a question…"}
            onInput={(e) => setQuestion(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && !e.shiftKey && !e.isComposing) submit(e);
            }}
          />
          <div class="composer-actions">
            {streaming ? (
              <button type="button" class="button" onClick={() => stop(id)}>
                Stop
              </button>
            ) : (
              chat.turns.length > 0 && (
                <button type="button" class="button" onClick={() => newChat(id)}>
                  New chat
                </button>
              )
            )}
            <button type="submit" class="button primary" disabled={streaming || !question.trim()}>
              Ask
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}

/** The collection's saved conversations: newest first, searchable by title, renamed and deleted in place. */
function ConversationList(props: { collectionId: string; current: string | null; locked: boolean }) {
  const list = useStore(listOf(props.collectionId));
  const [editing, setEditing] = useState<string | null>(null);
  const [title, setTitle] = useState("");
  const [confirm, setConfirm] = useState<ConversationSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);

  async function saveTitle(e: Event, c: ConversationSummary) {
    e.preventDefault();
    try {
      if (title.trim() && title.trim() !== c.title) await rename(props.collectionId, c.id, title.trim());
      setEditing(null);
      setError(null);
    } catch (err) {
      setError(describeError(err));
    }
  }

  return (
    <aside class="conversations" aria-label="Conversations">
      <div class="conversations-head">
        <h3>Chats</h3>
        <button type="button" class="button small" disabled={props.locked} onClick={() => newChat(props.collectionId)}>
          New chat
        </button>
      </div>
      <label class="visually-hidden" for="conversation-search">Search chats by title</label>
      <input id="conversation-search" type="search" placeholder="Search chats" value={list.query}
        onInput={(e) => void refreshList(props.collectionId, e.currentTarget.value)} />
      {list.error && <p class="error-text small" role="alert">{list.error} <button class="link" onClick={() => void refreshList(props.collectionId)}>Try again</button></p>}
      {error && <p class="error-text small" role="alert">{error}</p>}
      {list.items === null && !list.error && <p class="muted small">Loading…</p>}
      {list.items?.length === 0 && <p class="muted small">{list.query ? "No chat matches." : "No saved chats yet."}</p>}
      <ul class="conversation-list">
        {list.items?.map((c) => (
          <li key={c.id} aria-current={c.id === props.current ? "true" : undefined}>
            {editing === c.id ? (
              <form class="conversation-rename" onSubmit={(e) => void saveTitle(e, c)}>
                <label class="visually-hidden" for={`title-${c.id}`}>Title</label>
                <input id={`title-${c.id}`} value={title} maxLength={200} autoFocus
                  onInput={(e) => setTitle(e.currentTarget.value)}
                  onKeyDown={(e) => e.key === "Escape" && setEditing(null)} />
                <button class="button small" type="submit">Save</button>
              </form>
            ) : (
              <>
                <button type="button" class="conversation-open" disabled={props.locked && c.id !== props.current}
                  onClick={() => void open(props.collectionId, c.id)} title={`Updated ${date(c.updatedAt)}`}>
                  <span class="conversation-title">{c.title}</span>
                  <span class="muted small">{date(c.updatedAt)}</span>
                </button>
                <button type="button" class="icon-button" aria-label={`Rename ${c.title}`} title="Rename"
                  onClick={() => { setEditing(c.id); setTitle(c.title); }}><Pencil /></button>
                <button type="button" class="icon-button" aria-label={`Delete ${c.title}`} title="Delete"
                  disabled={props.locked && c.id === props.current} onClick={() => setConfirm(c)}><Trash /></button>
              </>
            )}
          </li>
        ))}
      </ul>
      {confirm && (
        <ConfirmDialog
          title="Delete this chat?"
          confirmLabel="Delete chat"
          busy={working}
          error={error}
          onCancel={() => { setConfirm(null); setError(null); }}
          onConfirm={async () => {
            setWorking(true);
            try {
              await remove(props.collectionId, confirm.id);
              setConfirm(null);
              setError(null);
            } catch (err) {
              setError(describeError(err));
            } finally {
              setWorking(false);
            }
          }}
        >
          <p>“{confirm.title}” and its answers will be deleted. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </aside>
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

function AnswerView(props: {
  answer: AnswerState;
  feedback?: "up" | "down";
  onRate?: (rating: "up" | "down") => void;
  onRetry?: () => void;
  onOpen: (c: Citation, el: HTMLElement) => void;
}) {
  const a = props.answer;
  const [copied, setCopied] = useState(false);
  const streaming = a.status === "streaming";
  const maxN = streaming ? Infinity : Math.max(0, ...a.citations.map((c) => c.n));
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
        <Markdown text={a.text} renderText={(text, key) => parseAnswer(text, streaming, maxN).map((s, i) =>
          s.kind === "text" ? (
            <span key={`${key}-${i}`}>{s.text}</span>
          ) : (
            s.numbers.map((n) => {
              const c = a.citations.find((x) => x.n === n);
              const v = c ? evidence(c) : "unknown";
              const note = v === "unverified" ? " (unverified)" : v === "weak" ? " (weak evidence)" : "";
              return (
                <button
                  key={`${key}-${i}-${n}`}
                  type="button"
                  class={"chip" + (v === "unverified" || v === "weak" ? " " + v : "") + (c ? "" : " pending")}
                  disabled={!c}
                  data-n={n}
                  aria-label={c ? `Source ${n}: ${c.filename ?? "document"} ${locatorLabel(c.locator, c.mediaType)}${note}` : `Source ${n}`}
                  title={c ? `${c.filename ?? ""} ${locatorLabel(c.locator, c.mediaType)}${v === "unverified" ? " — quote not verified" : v === "weak" ? " — bears only weakly on the question" : ""}` : undefined}
                  onClick={(e) => c && props.onOpen(c, e.currentTarget)}
                >
                  {n}
                </button>
              );
            })
          ),
        )} />
        {streaming && a.text !== "" && <span class="caret" aria-hidden="true" />}
      </div>
      {a.status === "error" && (
        <p class="alert error" role="alert">
          The answer failed: {a.error}{" "}
          {props.onRetry && <button type="button" class="button small" onClick={props.onRetry}>Try again</button>}
        </p>
      )}
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
                    {locatorLabel(c.locator, c.mediaType) && <span class="muted">{locatorLabel(c.locator, c.mediaType)}</span>}
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
          {props.onRate && (
            <span class="rating" role="group" aria-label="Rate this answer">
              <button type="button" class="icon-button" aria-pressed={props.feedback === "up"} aria-label="Good answer"
                title="Good answer" onClick={() => props.onRate?.("up")}><ThumbUp /></button>
              <button type="button" class="icon-button" aria-pressed={props.feedback === "down"} aria-label="Bad answer"
                title="Bad answer" onClick={() => props.onRate?.("down")}><ThumbDown /></button>
            </span>
          )}
          {a.generator && <span class="muted small">generator: {a.generator}</span>}
        </div>
      )}
    </div>
  );
}
