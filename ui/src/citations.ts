// Turning an answer's "[n]" markers into citation chips, and describing where a citation points.
import type { Citation, Locator } from "./api";

export type Segment = { kind: "text"; text: string } | { kind: "cite"; numbers: number[]; raw: string };

// [1]  [1, 2]  [1,2,3]  [1-3]  (n up to 3 digits; anything else is ordinary text, e.g. "[x]" or "[2009]")
const MARKER = /\[(\d{1,3}(?:\s*[,\u2013-]\s*\d{1,3})*)\]/g;
// An unfinished marker at the very end of a streaming answer: "[", "[1", "[1,", "[1, 2".
const PARTIAL_TAIL = /\[(\d{1,3}(\s*[,\u2013-]\s*\d{0,3})*)?\s*$/;

/**
 * Splits answer text into text and citation segments. While an answer is still streaming, an unfinished
 * marker at the end is held back (so "[1" never flashes up before it becomes a chip).
 */
export function parseAnswer(text: string, streaming = false, maxN = Infinity): Segment[] {
  let body = text;
  if (streaming) {
    const tail = PARTIAL_TAIL.exec(body);
    if (tail) body = body.slice(0, tail.index);
  }
  const out: Segment[] = [];
  let last = 0;
  for (const m of body.matchAll(MARKER)) {
    const numbers = expand(m[1]);
    if (numbers.length === 0 || numbers.some((n) => n < 1 || n > maxN)) continue; // not a citation
    if (m.index > last) out.push({ kind: "text", text: body.slice(last, m.index) });
    out.push({ kind: "cite", numbers, raw: m[0] });
    last = m.index + m[0].length;
  }
  if (last < body.length) out.push({ kind: "text", text: body.slice(last) });
  return merge(out);
}

function expand(inner: string): number[] {
  const out: number[] = [];
  for (const part of inner.split(",")) {
    const range = part.split(/[\u2013-]/).map((s) => Number.parseInt(s.trim(), 10));
    if (range.some((n) => Number.isNaN(n))) return [];
    if (range.length === 1) out.push(range[0]);
    else if (range.length === 2 && range[1] >= range[0] && range[1] - range[0] < 20) {
      for (let n = range[0]; n <= range[1]; n++) out.push(n);
    } else return [];
  }
  return [...new Set(out)];
}

function merge(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    const prev = out[out.length - 1];
    if (s.kind === "text" && prev?.kind === "text") prev.text += s.text;
    else out.push(s);
  }
  return out;
}

/** Removes citation markers (for copying an answer as plain text with its sources listed after it). */
export function answerAsPlainText(text: string, citations: Citation[]): string {
  const lines = [text.trim()];
  if (citations.length > 0) {
    lines.push("", "Sources:");
    for (const c of [...citations].sort((a, b) => a.n - b.n)) {
      const where = locatorLabel(c.locator, c.mediaType);
      lines.push(`[${c.n}] ${c.filename ?? "document"}${where ? ", " + where : ""}`);
    }
  }
  return lines.join("\n");
}

/** An EPUB book's media type: its "page" is a section of its reading order, not a printed page. */
export const EPUB = "application/epub+zip";

/**
 * "p. 2", "p. 2 (box)", "sheet “Regions”", "section 3" (an EPUB's part in reading order), "0:05–0:07", or "" when the
 * locator says nothing a person can use.
 */
export function locatorLabel(locator: Locator | null | undefined, mediaType?: string): string {
  if (!locator) return "";
  const parts: string[] = [];
  // A spreadsheet's sheet is known by its name; its number (the page) says less.
  if (typeof locator.sheet === "string" && locator.sheet.trim()) parts.push(`sheet “${locator.sheet.trim()}”`);
  else if (typeof locator.page === "number") parts.push(mediaType === EPUB ? `section ${locator.page}` : `p. ${locator.page}`);
  const box = boxOf(locator);
  if (box) parts.push(parts.length ? "(box)" : "box");
  const start = startSeconds(locator);
  if (start !== undefined) {
    const end = endSeconds(locator);
    parts.push(end !== undefined && end > start ? `${clock(start)}–${clock(end)}` : clock(start));
  }
  return parts.join(" ");
}

/** A box in fractions of the page or image (0..1, origin top left), when the locator has one. */
export function boxOf(locator: Locator | null | undefined): { x: number; y: number; w: number; h: number } | undefined {
  const b = locator?.bbox;
  if (!b) return undefined;
  const x = num(b.x), y = num(b.y), w = num(b.w ?? b.width), h = num(b.h ?? b.height);
  if ([x, y, w, h].some((v) => v === undefined || v < 0 || v > 1) || w! <= 0 || h! <= 0) return undefined;
  return { x: x!, y: y!, w: w!, h: h! };
}

/** The second a citation of a recording starts at (locators give startMs, or start seconds). */
export function startSeconds(locator: Locator | null | undefined): number | undefined {
  if (!locator) return undefined;
  const ms = num(locator.startMs);
  if (ms !== undefined) return ms / 1000;
  return num(locator.startSec ?? locator.start);
}

export function endSeconds(locator: Locator | null | undefined): number | undefined {
  if (!locator) return undefined;
  const ms = num(locator.endMs);
  if (ms !== undefined) return ms / 1000;
  return num(locator.endSec ?? locator.end);
}

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const mm = h > 0 ? String(m).padStart(2, "0") : String(m);
  return (h > 0 ? `${h}:` : "") + `${mm}:${String(r).padStart(2, "0")}`;
}

/** "verified", "unverified" or "unknown" (the server did not say; the extractive generator quotes verbatim). */
export function verification(c: Citation): "verified" | "unverified" | "unknown" {
  if (c.verified === true) return "verified";
  if (c.verified === false) return "unverified";
  return "unknown";
}

/**
 * What a citation's badge says: "unverified" (the source does not back the claim), else how strongly the passage
 * bears on the question ("strong" or "weak", as the server judged), else "unknown". A verbatim quote is not by
 * itself good evidence: a weak passage quoted word for word is still weak.
 */
export function evidence(c: Citation): "strong" | "weak" | "unverified" | "unknown" {
  if (c.verified === false) return "unverified";
  if (c.support === "strong" || c.support === "weak") return c.support;
  return "unknown";
}
