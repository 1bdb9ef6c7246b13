// The state of one streamed answer, built from the ask stream's events (docs/api.md: citation, delta, done,
// error). Pure, so the stream handling is unit-tested without a server or a DOM.
import type { AskResult, Citation } from "./api";
import { jsonData, type SseEvent } from "./sse";

export interface AnswerState {
  text: string;
  citations: Citation[];
  status: "streaming" | "done" | "error" | "stopped";
  error?: string;
  generator?: string;
  fallback?: boolean;
  fallbackReason?: string;
}

export const emptyAnswer = (): AnswerState => ({ text: "", citations: [], status: "streaming" });

/** Applies one server-sent event to the answer. Unknown events are ignored (newer servers may send more). */
export function applyAskEvent(state: AnswerState, e: SseEvent): AnswerState {
  switch (e.event) {
    case "delta": {
      const d = jsonData<{ text?: string }>(e);
      return typeof d?.text === "string" ? { ...state, text: state.text + d.text } : state;
    }
    case "citation": {
      const c = jsonData<Citation>(e);
      if (!c || typeof c.n !== "number") return state;
      return { ...state, citations: upsert(state.citations, c) };
    }
    case "done": {
      const r = jsonData<AskResult>(e);
      if (!r) return { ...state, status: "done" };
      // The final answer is authoritative: it has every citation with its final fields (e.g. verified).
      let citations = state.citations;
      for (const c of r.citations ?? []) citations = upsert(citations, c);
      return {
        ...state,
        text: typeof r.answer === "string" ? r.answer : state.text,
        citations,
        status: "done",
        generator: r.generator,
        fallback: r.fallback,
        fallbackReason: r.fallbackReason,
      };
    }
    case "restart":
      // The server withdrew what it sent so far (a model failed mid-answer, or an early "no answer" turned out
      // wrong); the final answer follows.
      return { ...state, text: "", citations: [] };
    case "error": {
      const p = jsonData<{ detail?: string; title?: string; status?: number }>(e);
      const detail = p?.detail || p?.title || e.data || "the answer failed";
      return { ...state, status: "error", error: p?.status ? `${detail} (HTTP ${p.status})` : detail };
    }
    default:
      return state;
  }
}

function upsert(list: Citation[], c: Citation): Citation[] {
  const i = list.findIndex((x) => x.n === c.n);
  if (i < 0) return [...list, c].sort((a, b) => a.n - b.n);
  const copy = list.slice();
  copy[i] = { ...list[i], ...c };
  return copy;
}

/** The stream ended: an answer still marked streaming without a done event was cut off. */
export function finishAnswer(state: AnswerState): AnswerState {
  if (state.status !== "streaming") return state;
  return { ...state, status: "error", error: "The answer stream ended before it was complete." };
}

export function citationFor(state: AnswerState, n: number): Citation | undefined {
  return state.citations.find((c) => c.n === n);
}
