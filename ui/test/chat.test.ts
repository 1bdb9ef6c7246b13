import { describe, expect, it } from "vitest";
import { applyAskEvent, emptyAnswer, finishAnswer } from "../src/chat";
import { SseParser } from "../src/sse";

// The stream of docs/api.md for the acceptance question, as the server sends it.
const STREAM = [
  'event:citation\ndata:{"n":1,"chunkId":"d:v1:9","documentId":"d","filename":"tracemonkey.pdf","locator":{"page":2,"charStart":3391,"charEnd":3504},"quote":"TraceMonkey supports all the JavaScript features of Spi-\\nderMonkey, with a 2x-20x speedup for traceable programs."}\n\n',
  'event:delta\ndata:{"text":"TraceMonkey supports all the JavaScript features of SpiderMonkey, "}\n\n',
  'event:delta\ndata:{"text":"with a 2x-20x speedup for traceable programs. [1] "}\n\n',
  'event:done\ndata:{"answer":"TraceMonkey supports all the JavaScript features of SpiderMonkey, with a 2x-20x speedup for traceable programs. [1]","citations":[{"n":1,"chunkId":"d:v1:9","documentId":"d","filename":"tracemonkey.pdf","locator":{"page":2,"charStart":3391,"charEnd":3504},"quote":"…","verified":true}],"generator":"extractive"}\n\n',
].join("");

function run(stream: string) {
  const parser = new SseParser();
  let state = emptyAnswer();
  const seen: string[] = [];
  for (const e of parser.push(stream)) {
    state = applyAskEvent(state, e);
    seen.push(state.status + ":" + state.text.length);
  }
  return { state, seen };
}

describe("answer stream", () => {
  it("accumulates deltas, collects citations, and takes the final answer from done", () => {
    const { state, seen } = run(STREAM);
    expect(seen.slice(0, 3).every((s) => s.startsWith("streaming"))).toBe(true);
    expect(state.status).toBe("done");
    expect(state.text).toBe(
      "TraceMonkey supports all the JavaScript features of SpiderMonkey, with a 2x-20x speedup for traceable programs. [1]",
    );
    expect(state.generator).toBe("extractive");
    expect(state.citations).toHaveLength(1);
    expect(state.citations[0].locator).toEqual({ page: 2, charStart: 3391, charEnd: 3504 });
    // done's fields win (a verifying generator may only know "verified" at the end)
    expect(state.citations[0].verified).toBe(true);
  });

  it("shows the answer while it streams", () => {
    const parser = new SseParser();
    let state = emptyAnswer();
    for (const e of parser.push(STREAM.split("event:done")[0])) state = applyAskEvent(state, e);
    expect(state.status).toBe("streaming");
    expect(state.text).toContain("2x-20x speedup");
  });

  it("turns an error event into words", () => {
    const { state } = run('event:delta\ndata:{"text":"Part"}\n\nevent:error\ndata:{"status":500,"title":"Internal Server Error","detail":"the generator timed out"}\n\n');
    expect(state.status).toBe("error");
    expect(state.error).toBe("the generator timed out (HTTP 500)");
    expect(state.text).toBe("Part");
  });

  it("marks a stream cut off before done as an error, and ignores unknown events and bad JSON", () => {
    const { state } = run('event:progress\ndata:{"x":1}\n\nevent:delta\ndata:not json\n\nevent:delta\ndata:{"text":"Half"}\n\n');
    expect(state.status).toBe("streaming");
    expect(state.text).toBe("Half");
    expect(finishAnswer(state).status).toBe("error");
    expect(finishAnswer({ ...state, status: "done" }).status).toBe("done");
  });

  it("keeps citations ordered and merges repeats", () => {
    let state = emptyAnswer();
    for (const e of new SseParser().push(
      'event:citation\ndata:{"n":2,"documentId":"a"}\n\nevent:citation\ndata:{"n":1,"documentId":"b"}\n\nevent:citation\ndata:{"n":2,"documentId":"a","verified":false}\n\n',
    )) state = applyAskEvent(state, e);
    expect(state.citations.map((c) => [c.n, c.verified])).toEqual([[1, undefined], [2, false]]);
  });
});

describe("restart", () => {
  it("drops the text and citations sent before it", () => {
    let state = emptyAnswer();
    for (const e of new SseParser().push('event:delta\ndata:{"text":"I could not find an answer to that in the documents."}\n\nevent:restart\ndata:{"reason":"withdrawn"}\n\nevent:citation\ndata:{"n":1,"documentId":"d"}\n\nevent:delta\ndata:{"text":"Leave it to proof. [1]"}\n\n')) {
      state = applyAskEvent(state, e);
    }
    expect(state.text).toBe("Leave it to proof. [1]");
    expect(state.citations.map((c) => c.n)).toEqual([1]);
  });
});
