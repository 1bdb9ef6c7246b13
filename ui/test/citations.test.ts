import { describe, expect, it } from "vitest";
import type { Citation } from "../src/api";
import { answerAsPlainText, boxOf, evidence, locatorLabel, parseAnswer, startSeconds, verification } from "../src/citations";

describe("parseAnswer", () => {
  it("turns [n] markers into citation segments", () => {
    expect(parseAnswer("TraceMonkey is fast. [1] It traces loops. [2]")).toEqual([
      { kind: "text", text: "TraceMonkey is fast. " },
      { kind: "cite", numbers: [1], raw: "[1]" },
      { kind: "text", text: " It traces loops. " },
      { kind: "cite", numbers: [2], raw: "[2]" },
    ]);
  });

  it("understands lists, ranges and adjacent markers", () => {
    const cites = parseAnswer("a [1, 3] b [2-4] c [1][2]").filter((s) => s.kind === "cite");
    expect(cites.map((s) => (s.kind === "cite" ? s.numbers : []))).toEqual([[1, 3], [2, 3, 4], [1], [2]]);
  });

  it("leaves brackets that are not citations as text", () => {
    const text = "arrays like a[i] and [x] or [] stay; so does [2009] when only 2 sources exist";
    expect(parseAnswer(text, false, 2)).toEqual([{ kind: "text", text }]);
  });

  it("holds back an unfinished marker while streaming", () => {
    expect(parseAnswer("Speedup is 2x-20x. [", true)).toEqual([{ kind: "text", text: "Speedup is 2x-20x. " }]);
    expect(parseAnswer("Speedup is 2x-20x. [1", true)).toEqual([{ kind: "text", text: "Speedup is 2x-20x. " }]);
    expect(parseAnswer("Speedup is 2x-20x. [1, 2", true)).toEqual([{ kind: "text", text: "Speedup is 2x-20x. " }]);
    expect(parseAnswer("Speedup is 2x-20x. [1]", true)).toEqual([
      { kind: "text", text: "Speedup is 2x-20x. " },
      { kind: "cite", numbers: [1], raw: "[1]" },
    ]);
    // once the answer is done, a stray "[" is just text
    expect(parseAnswer("odd [", false)).toEqual([{ kind: "text", text: "odd [" }]);
  });

  it("keeps the text intact when re-joined", () => {
    const text = "One [1]. Two [2, 3]. Three [4-5].";
    const joined = parseAnswer(text).map((s) => (s.kind === "text" ? s.text : s.raw)).join("");
    expect(joined).toBe(text);
  });
});

describe("locators", () => {
  it("labels pages, boxes and seconds", () => {
    expect(locatorLabel({ page: 2, charStart: 3391, charEnd: 3504 })).toBe("p. 2");
    expect(locatorLabel({ page: 1, bbox: { x: 0.1, y: 0.2, w: 0.3, h: 0.05 } })).toBe("p. 1 (box)");
    expect(locatorLabel({ startMs: 5300, endMs: 7700 })).toBe("0:05–0:07");
    expect(locatorLabel({ page: 2, charStart: 0, charEnd: 40, sheet: "Regions" })).toBe("sheet “Regions”");
    expect(locatorLabel({ startMs: 3_725_000 })).toBe("1:02:05");
    expect(locatorLabel({ page: 3, charStart: 0, charEnd: 40 }, "application/epub+zip")).toBe("section 3");
    expect(locatorLabel({ page: 3 }, "application/pdf")).toBe("p. 3");
    expect(locatorLabel(null)).toBe("");
    expect(locatorLabel({})).toBe("");
  });

  it("accepts only boxes inside the page", () => {
    expect(boxOf({ bbox: { x: 0.1, y: 0.2, w: 0.3, h: 0.4 } })).toEqual({ x: 0.1, y: 0.2, w: 0.3, h: 0.4 });
    expect(boxOf({ bbox: { x: 0.1, y: 0.2, width: 0.3, height: 0.4 } })).toEqual({ x: 0.1, y: 0.2, w: 0.3, h: 0.4 });
    expect(boxOf({ bbox: { x: 10, y: 20, w: 30, h: 40 } })).toBeUndefined();
    expect(boxOf({ bbox: { x: 0.1, y: 0.2, w: 0, h: 0.4 } })).toBeUndefined();
    expect(boxOf({ page: 1 })).toBeUndefined();
  });

  it("finds the start second in any of the locator spellings", () => {
    expect(startSeconds({ startMs: 5300 })).toBe(5.3);
    expect(startSeconds({ startSec: 4 })).toBe(4);
    expect(startSeconds({ start: 2.5 })).toBe(2.5);
    expect(startSeconds({ page: 1 })).toBeUndefined();
  });
});

describe("citations", () => {
  const c = (n: number, verified?: boolean): Citation => ({ n, documentId: "d", filename: "tracemonkey.pdf", locator: { page: n }, verified });

  it("reports verification only when the server says", () => {
    expect(verification(c(1))).toBe("unknown");
    expect(verification(c(1, true))).toBe("verified");
    expect(verification(c(1, false))).toBe("unverified");
  });

  it("copies an answer with its sources listed", () => {
    expect(answerAsPlainText("Fast. [1] Also [2]", [c(2), c(1)])).toBe(
      "Fast. [1] Also [2]\n\nSources:\n[1] tracemonkey.pdf, p. 1\n[2] tracemonkey.pdf, p. 2",
    );
  });
});

describe("evidence", () => {
  const c = (support?: "strong" | "weak", verified?: boolean): Citation =>
    ({ n: 1, documentId: "d", filename: "f1040.pdf", locator: { page: 1 }, support, verified, verbatim: true });

  it("follows support, not verbatim-ness: a verbatim quote that bears weakly on the question is weak", () => {
    expect(evidence(c("strong", true))).toBe("strong");
    expect(evidence(c("weak", true))).toBe("weak");
  });

  it("says unverified whatever the support, and unknown when the server does not say", () => {
    expect(evidence(c("strong", false))).toBe("unverified");
    expect(evidence(c(undefined, true))).toBe("unknown");
  });
});

describe("readable quotes", () => {
  it("joins words hyphenated across line ends and keeps real hyphens", async () => {
    const { readable } = await import("../src/components/SourcePanel");
    expect(readable("features of Spi-\nderMonkey, with a 2x-20x\n  speedup")).toBe("features of SpiderMonkey, with a 2x-20x speedup");
    expect(readable("a Just-In-Time\ncompiler")).toBe("a Just-In-Time compiler");
  });
});
