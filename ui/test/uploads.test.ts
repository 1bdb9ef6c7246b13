import { describe, expect, it } from "vitest";
import { finished, jobUpdate, newUpload, uploadAccepted, uploadFailed, uploadSent } from "../src/uploads";

const job = (status: string, progress: number, message?: string, error?: string) => ({ id: "j", documentId: "d", status, progress, message, error });

describe("upload rows", () => {
  it("go from bytes sent to the job's progress to done", () => {
    let u = newUpload("k", { name: "tracemonkey.pdf", size: 1018221 });
    u = uploadSent(u, 0.5);
    expect([u.phase, u.message]).toEqual(["uploading", "uploading 50%"]);
    u = uploadAccepted(u, { documentId: "d", jobId: "j", status: "processing", duplicate: false });
    expect(u.phase).toBe("queued");
    u = jobUpdate(u, job("running", 0.42, "embedded 32 of 83 chunks"));
    expect([u.phase, u.progress, u.message]).toEqual(["processing", 0.42, "embedded 32 of 83 chunks"]);
    expect(finished(u)).toBe(false);
    u = jobUpdate(u, job("succeeded", 1, "indexed 83 chunks"));
    expect([u.phase, u.message]).toEqual(["done", "indexed 83 chunks"]);
    expect(finished(u)).toBe(true);
  });

  it("show the failure reason", () => {
    const u = jobUpdate(newUpload("k", { name: "scan.pdf", size: 1 }), job("failed", 0.1, "parsing", "no text could be extracted"));
    expect([u.phase, u.message]).toEqual(["failed", "no text could be extracted"]);
    expect(uploadFailed(u, "file is empty (HTTP 422)").message).toBe("file is empty (HTTP 422)");
  });

  it("report duplicates as such and ignore job events for them", () => {
    let u = uploadAccepted(newUpload("k", { name: "a.pdf", size: 1 }), { documentId: "d", jobId: "j", status: "ready", duplicate: true });
    expect(u.phase).toBe("duplicate");
    expect(u.message).toContain("already in this collection");
    u = jobUpdate(u, job("running", 0.5));
    expect(u.phase).toBe("duplicate");
  });
});
