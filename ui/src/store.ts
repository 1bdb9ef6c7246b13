// Conversations live as long as the browser tab (sessionStorage), one per collection, so switching tabs or
// reloading the page keeps them.
import type { AnswerState } from "./chat";

export interface Turn {
  id: string;
  question: string;
  answer: AnswerState;
}

const KEY = "omnirag.conversations.v1";
const memory = new Map<string, Turn[]>();

function load() {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return;
    for (const [id, turns] of Object.entries(JSON.parse(raw) as Record<string, Turn[]>)) {
      // An answer that was streaming when the page went away will not finish.
      memory.set(id, turns.map((t) => (t.answer.status === "streaming" ? { ...t, answer: { ...t.answer, status: "stopped" } } : t)));
    }
  } catch {
    // storage unavailable or corrupt: start empty
  }
}
load();

export function conversation(collectionId: string): Turn[] {
  return memory.get(collectionId) ?? [];
}

export function saveConversation(collectionId: string, turns: Turn[]) {
  if (turns.length === 0) memory.delete(collectionId);
  else memory.set(collectionId, turns);
  try {
    sessionStorage.setItem(KEY, JSON.stringify(Object.fromEntries(memory)));
  } catch {
    // quota or privacy mode: the conversation still lives in memory
  }
}
