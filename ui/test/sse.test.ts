import { describe, expect, it } from "vitest";
import { readSse, SseParser, type SseEvent } from "../src/sse";

describe("SseParser", () => {
  it("parses Quarkus-style events (no space after the colon)", () => {
    const p = new SseParser();
    const events = p.push('event:progress\ndata:{"progress":0.5}\n\nevent:done\ndata:{"status":"succeeded"}\n\n');
    expect(events).toEqual([
      { event: "progress", data: '{"progress":0.5}' },
      { event: "done", data: '{"status":"succeeded"}' },
    ]);
  });

  it("joins multi-line data, strips one leading space, ignores comments and unknown fields", () => {
    const p = new SseParser();
    expect(p.push(": keep-alive\nretry: 1000\nfoo: bar\ndata: line one\ndata:  line two\n\n")).toEqual([
      { event: "message", data: "line one\n line two" },
    ]);
  });

  it("assembles events split at every possible point, including inside CRLF", () => {
    const stream = 'event: delta\r\ndata: {"text":"Hello"}\r\n\r\nevent: citation\r\ndata: {"n":1}\r\n\r\n';
    for (let cut = 1; cut < stream.length; cut++) {
      const p = new SseParser();
      const got = [...p.push(stream.slice(0, cut)), ...p.push(stream.slice(cut))];
      expect(got, `cut at ${cut}`).toEqual([
        { event: "delta", data: '{"text":"Hello"}' },
        { event: "citation", data: '{"n":1}' },
      ]);
    }
  });

  it("handles bare CR line ends and one character at a time", () => {
    const p = new SseParser();
    const got: SseEvent[] = [];
    for (const ch of "event:a\rdata:1\r\rdata:2\n\n") got.push(...p.push(ch));
    expect(got).toEqual([
      { event: "a", data: "1" },
      { event: "message", data: "2" },
    ]);
  });

  it("does not emit an event without data, and drops an unterminated one at the end", () => {
    const p = new SseParser();
    expect(p.push("event: ping\n\n")).toEqual([]);
    expect(p.push("event: done\ndata: {}")).toEqual([]);
    expect(p.end()).toEqual([]);
  });

  it("remembers the last event id", () => {
    const p = new SseParser();
    expect(p.push("id: 7\ndata: a\n\ndata: b\n\n")).toEqual([
      { event: "message", data: "a", id: "7" },
      { event: "message", data: "b", id: "7" },
    ]);
  });
});

describe("readSse", () => {
  it("decodes UTF-8 split across network chunks", async () => {
    const bytes = new TextEncoder().encode('event: delta\ndata: {"text":"2×–20× speedup ✓"}\n\n');
    // cut inside the multi-byte characters
    const pieces = [bytes.slice(0, 27), bytes.slice(27, 31), bytes.slice(31)];
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (const p of pieces) c.enqueue(p);
        c.close();
      },
    });
    const got: SseEvent[] = [];
    await readSse(body, (e) => got.push(e));
    expect(got).toEqual([{ event: "delta", data: '{"text":"2×–20× speedup ✓"}' }]);
  });
});
