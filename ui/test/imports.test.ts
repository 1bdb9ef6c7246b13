import { describe, expect, it } from "vitest";
import type { ImportInfo } from "../src/api";
import { ended, importMessage, importProgress, isArchive } from "../src/imports";

function info(over: Partial<ImportInfo>): ImportInfo {
  return {
    id: "i", collectionId: "c", filename: "npl.zip", status: "ingesting", entries: 100, files: 90, duplicates: 4,
    skipped: 6, skippedFiles: [], jobs: { queued: 50, running: 2, succeeded: 38, failed: 0 }, docsPerSecond: 12.5,
    etaSeconds: 250, error: null, ...over,
  };
}

describe("archive imports", () => {
  it("routes archives, not documents, to the import", () => {
    expect(isArchive("npl.zip")).toBe(true);
    expect(isArchive("Reports.TAR.GZ")).toBe(true);
    expect(isArchive("notes.tgz")).toBe(true);
    expect(isArchive("Inbox.mbox")).toBe(true);
    expect(isArchive("thread.eml")).toBe(false);
    expect(isArchive("paper.pdf")).toBe(false);
    expect(isArchive("zip.txt")).toBe(false);
  });

  it("says how many files are ready, the rate and the time left while ingesting", () => {
    expect(importMessage(info({}))).toBe("38 of 90 files ready · 4 already there · 6 skipped · 12.5 files/s · about 4 min left");
    expect(importProgress(info({}))).toBeCloseTo(38 / 90);
  });

  it("has no known share while unpacking", () => {
    const i = info({ status: "unpacking", etaSeconds: null });
    expect(importProgress(i)).toBeUndefined();
    expect(importMessage(i)).toContain("unpacking: 100 entries read, 38 files ready");
  });

  it("gives a failed import's reason and ends a cancelled one once nothing runs", () => {
    expect(importMessage(info({ status: "failed", error: "the archive expands more than 100 times its size" })))
      .toContain("failed: the archive expands more than 100 times its size");
    expect(ended(info({ status: "cancelled" }))).toBe(false);
    expect(ended(info({ status: "cancelled", jobs: { queued: 0, running: 0, succeeded: 38, failed: 52 } }))).toBe(true);
  });
});
