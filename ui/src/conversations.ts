// Chats: the open conversation of each collection and the list of saved ones, kept outside the components so an
// answer being streamed goes on into its conversation when the person switches tabs or collections. Conversations
// are saved by the server (a turn is stored when its answer is done); the open one's id is kept in localStorage,
// so a reload reopens it.
import { api, describeError, stream, ApiError, type AskResult, type ConversationSummary, type SavedTurn } from "./api";
import { applyAskEvent, emptyAnswer, finishAnswer, type AnswerState } from "./chat";
import { jsonData } from "./sse";
import { Store } from "./state";

export interface Turn {
  id: string;
  /** The turn's number in its saved conversation, once the server has stored it. */
  n?: number;
  question: string;
  answer: AnswerState;
  feedback?: "up" | "down";
}

export interface Chat {
  conversationId: string | null;
  turns: Turn[];
  loading: boolean;
  error?: string;
}

export interface ChatList {
  items: ConversationSummary[] | null;
  query: string;
  error?: string;
}

const OPEN = "omnirag.conversation.";
const chats = new Map<string, Store<Chat>>();
const lists = new Map<string, Store<ChatList>>();
const inFlight = new Map<string, AbortController>();
let seq = 0;

function remembered(collectionId: string): string | null {
  try {
    return localStorage.getItem(OPEN + collectionId);
  } catch {
    return null;
  }
}

function remember(collectionId: string, conversationId: string | null) {
  try {
    if (conversationId) localStorage.setItem(OPEN + collectionId, conversationId);
    else localStorage.removeItem(OPEN + collectionId);
  } catch {
    // storage unavailable: the conversation is still saved by the server
  }
}

/** The collection's open chat (reopening the one open before a reload). */
export function chatOf(collectionId: string): Store<Chat> {
  let s = chats.get(collectionId);
  if (!s) {
    const saved = remembered(collectionId);
    s = new Store<Chat>({ conversationId: saved, turns: [], loading: saved !== null });
    chats.set(collectionId, s);
    if (saved) void open(collectionId, saved);
  }
  return s;
}

/** The collection's saved conversations, newest first (loaded on first use). */
export function listOf(collectionId: string): Store<ChatList> {
  let s = lists.get(collectionId);
  if (!s) {
    s = new Store<ChatList>({ items: null, query: "" });
    lists.set(collectionId, s);
    void refreshList(collectionId);
  }
  return s;
}

export function busy(chat: Chat): boolean {
  return chat.turns.some((t) => t.answer.status === "streaming");
}

const fromSaved = (t: SavedTurn): Turn => ({
  id: `saved-${t.n}`,
  n: t.n,
  question: t.question,
  feedback: t.feedback,
  answer: { text: t.answer, citations: t.citations ?? [], status: "done", generator: t.generator },
});

/** Opens a saved conversation with its turns and citations. */
export async function open(collectionId: string, conversationId: string): Promise<void> {
  const s = chatOf(collectionId);
  s.update(() => ({ conversationId, turns: [], loading: true }));
  remember(collectionId, conversationId);
  try {
    const detail = await api.conversation(conversationId);
    s.update((c) => (c.conversationId === conversationId ? { conversationId, turns: detail.turns.map(fromSaved), loading: false } : c));
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) remember(collectionId, null);
    s.update((c) => (c.conversationId === conversationId
      ? { conversationId: null, turns: [], loading: false, error: e instanceof ApiError && e.status === 404
          ? "That conversation no longer exists." : `Cannot open the conversation: ${describeError(e)}` }
      : c));
  }
}

/** Starts a new, empty chat; the previous one stays in the list. */
export function newChat(collectionId: string) {
  chatOf(collectionId).update(() => ({ conversationId: null, turns: [], loading: false }));
  remember(collectionId, null);
}

/** Forgets a deleted collection's chat. */
export function forget(collectionId: string) {
  inFlight.get(collectionId)?.abort();
  chats.delete(collectionId);
  lists.delete(collectionId);
  remember(collectionId, null);
}

function setTurn(collectionId: string, turnId: string, f: (t: Turn) => Turn) {
  chatOf(collectionId).update((c) => ({ ...c, turns: c.turns.map((t) => (t.id === turnId ? f(t) : t)) }));
}

/**
 * Asks in the open conversation (creating it with the first question) and streams the answer into it. Goes on
 * whatever the views do; {@link stop} ends it.
 */
export async function ask(collectionId: string, question: string): Promise<void> {
  const s = chatOf(collectionId);
  if (busy(s.get()) || !question.trim()) return;
  const turn: Turn = { id: `t${Date.now()}-${++seq}`, question: question.trim(), answer: emptyAnswer() };
  s.update((c) => ({ ...c, error: undefined, turns: [...c.turns, turn] }));
  const controller = new AbortController();
  inFlight.set(collectionId, controller);
  try {
    let conversationId = s.get().conversationId;
    if (!conversationId) {
      conversationId = (await api.createConversation(collectionId)).id;
      const created = conversationId;
      s.update((c) => ({ ...c, conversationId: created }));
      remember(collectionId, created);
    }
    await stream(`/v1/collections/${encodeURIComponent(collectionId)}/ask`,
      { method: "POST", body: { question: turn.question, conversationId }, signal: controller.signal }, (ev) => {
        setTurn(collectionId, turn.id, (t) => {
          const n = ev.event === "done" ? jsonData<AskResult>(ev)?.turn : undefined;
          return { ...t, n: n ?? t.n, answer: applyAskEvent(t.answer, ev) };
        });
      });
    setTurn(collectionId, turn.id, (t) => ({ ...t, answer: finishAnswer(t.answer) }));
  } catch (err) {
    setTurn(collectionId, turn.id, (t) => ({
      ...t,
      answer: controller.signal.aborted ? { ...t.answer, status: "stopped" } : { ...t.answer, status: "error", error: describeError(err) },
    }));
  } finally {
    inFlight.delete(collectionId);
    void refreshList(collectionId);
  }
}

/** Stops the answer being streamed in the collection's chat. */
export function stop(collectionId: string) {
  inFlight.get(collectionId)?.abort();
}

/** Asks a failed question again (the failed turn is replaced). */
export async function retry(collectionId: string, turnId: string): Promise<void> {
  const s = chatOf(collectionId);
  const failed = s.get().turns.find((t) => t.id === turnId);
  if (!failed || busy(s.get())) return;
  s.update((c) => ({ ...c, turns: c.turns.filter((t) => t.id !== turnId) }));
  await ask(collectionId, failed.question);
}

/** Records the reader's thumbs up or down for a saved turn. */
export async function rate(collectionId: string, turnId: string, rating: "up" | "down"): Promise<void> {
  const c = chatOf(collectionId).get();
  const turn = c.turns.find((t) => t.id === turnId);
  if (!c.conversationId || turn?.n === undefined) return;
  const before = turn.feedback;
  setTurn(collectionId, turnId, (t) => ({ ...t, feedback: rating }));
  try {
    await api.rateTurn(c.conversationId, turn.n, rating);
  } catch (e) {
    setTurn(collectionId, turnId, (t) => ({ ...t, feedback: before }));
    chatOf(collectionId).update((x) => ({ ...x, error: `Cannot save the rating: ${describeError(e)}` }));
  }
}

/** Loads the collection's conversations again (matching {@code query} in their titles when given). */
export async function refreshList(collectionId: string, query?: string): Promise<void> {
  const s = listOf(collectionId);
  const q = query ?? s.get().query;
  s.update((l) => ({ ...l, query: q }));
  try {
    const items = await api.conversations(collectionId, q.trim() || undefined);
    s.update((l) => (l.query === q ? { items, query: q } : l));
  } catch (e) {
    s.update((l) => ({ ...l, error: `Cannot load the conversations: ${describeError(e)}` }));
  }
}

export async function rename(collectionId: string, conversationId: string, title: string): Promise<void> {
  await api.renameConversation(conversationId, title);
  await refreshList(collectionId);
}

/** Deletes a saved conversation; if it is the open one, a new chat starts. */
export async function remove(collectionId: string, conversationId: string): Promise<void> {
  await api.deleteConversation(conversationId);
  if (chatOf(collectionId).get().conversationId === conversationId) newChat(collectionId);
  await refreshList(collectionId);
}
