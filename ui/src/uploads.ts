// One row of the upload list: from choosing the file to "indexed", "duplicate" or the failure reason.
import type { Job, UploadResult } from "./api";

export type UploadPhase = "waiting" | "uploading" | "queued" | "processing" | "done" | "duplicate" | "failed";

export interface UploadItem {
  key: string;
  name: string;
  size: number;
  phase: UploadPhase;
  /** 0..1 within the phase (bytes sent while uploading, the job's progress while processing). */
  progress: number;
  message: string;
  documentId?: string;
  jobId?: string;
}

export const newUpload = (key: string, file: { name: string; size: number }): UploadItem => ({
  key,
  name: file.name,
  size: file.size,
  phase: "waiting",
  progress: 0,
  message: "waiting",
});

export function uploadSent(item: UploadItem, fraction: number): UploadItem {
  return { ...item, phase: "uploading", progress: clamp(fraction), message: `uploading ${Math.round(clamp(fraction) * 100)}%` };
}

export function uploadAccepted(item: UploadItem, r: UploadResult): UploadItem {
  if (r.duplicate) {
    return {
      ...item,
      phase: "duplicate",
      progress: 1,
      documentId: r.documentId,
      jobId: r.jobId ?? undefined,
      message: r.status === "processing"
        ? "duplicate: the same file is already in this collection (still being indexed)"
        : "duplicate: the same file is already in this collection",
    };
  }
  return { ...item, phase: "queued", progress: 0, documentId: r.documentId, jobId: r.jobId ?? undefined, message: "queued" };
}

export function jobUpdate(item: UploadItem, job: Job): UploadItem {
  if (item.phase === "duplicate") return item;
  switch (job.status) {
    case "succeeded":
      return { ...item, phase: "done", progress: 1, message: job.message || "indexed" };
    case "failed":
      return { ...item, phase: "failed", progress: 1, message: job.error || job.message || "ingestion failed" };
    case "queued":
      return { ...item, phase: "queued", progress: 0, message: job.message || "queued" };
    default:
      return { ...item, phase: "processing", progress: clamp(job.progress ?? 0), message: job.message || "processing" };
  }
}

export function uploadFailed(item: UploadItem, reason: string): UploadItem {
  return { ...item, phase: "failed", progress: 1, message: reason };
}

export const finished = (item: UploadItem) => item.phase === "done" || item.phase === "duplicate" || item.phase === "failed";

function clamp(v: number): number {
  return Number.isFinite(v) ? Math.max(0, Math.min(1, v)) : 0;
}
