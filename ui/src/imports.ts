// Archive imports in the documents panel: which files go to the import endpoint, and how an import's aggregate
// progress reads. Pure functions, tested in test/imports.test.ts.
import type { ImportInfo } from "./api";

/** Whether a chosen file is an archive to import (each of its files a document) rather than a document itself. */
export function isArchive(name: string): boolean {
  return /\.(zip|tar|tgz|tar\.gz|tar\.bz2|tar\.xz|mbox|mbx)$/i.test(name);
}

/** Whether the import has ended (nothing more will change). */
export function ended(i: ImportInfo): boolean {
  return i.status === "done" || i.status === "failed" || (i.status === "cancelled" && i.jobs.queued + i.jobs.running === 0);
}

/** The share of the import's files that are ingested (ready or failed); undefined while the total is unknown. */
export function importProgress(i: ImportInfo): number | undefined {
  if (i.status === "unpacking" || i.files === 0) return undefined;
  return (i.jobs.succeeded + i.jobs.failed) / i.files;
}

/** One line on where the import stands, e.g. "1,234 of 11,413 files ready · 41 files/s · about 3 min left". */
export function importMessage(i: ImportInfo): string {
  const n = (x: number) => x.toLocaleString("en");
  const ready = i.jobs.succeeded;
  const parts: string[] = [];
  switch (i.status) {
    case "unpacking":
      parts.push(`unpacking: ${n(i.entries)} entries read, ${n(ready)} files ready`);
      break;
    case "ingesting":
      parts.push(`${n(ready)} of ${n(i.files)} files ready`);
      break;
    case "done":
      parts.push(`done: ${n(ready)} files ready`);
      break;
    case "failed":
      parts.push(`failed: ${i.error ?? "the archive could not be read"}; ${n(ready)} files ready`);
      break;
    case "cancelled":
      parts.push(`cancelled: ${n(ready)} files ready`);
      break;
  }
  if (i.jobs.failed > 0) parts.push(`${n(i.jobs.failed)} failed`);
  if (i.duplicates > 0) parts.push(`${n(i.duplicates)} already there`);
  if (i.skipped > 0) parts.push(`${n(i.skipped)} skipped`);
  if (!ended(i) && i.docsPerSecond) parts.push(`${i.docsPerSecond} files/s`);
  if (i.status === "ingesting" && i.etaSeconds != null) parts.push(`about ${duration(i.etaSeconds)} left`);
  return parts.join(" · ");
}

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}
