// Uploads of every collection, kept outside the views: a file goes on uploading and indexing when the person
// leaves the Documents tab or the collection (the tray in the corner shows it then). At most three files are sent
// at once.
import { describeError, uploadFile, watchJob } from "./api";
import { Store } from "./state";
import { finished, jobUpdate, newUpload, uploadAccepted, uploadFailed, uploadSent, type UploadItem } from "./uploads";

export interface QueuedUpload extends UploadItem {
  collectionId: string;
  collectionName: string;
}

const PARALLEL_UPLOADS = 3;
/** Finished rows kept in the list. */
const KEEP_FINISHED = 50;

export const uploads = new Store<QueuedUpload[]>([]);
/** Bumped whenever a collection's documents change because of an upload (the documents table reloads). */
export const documentChanges = new Store<{ collectionId: string; at: number } | null>(null);

const files = new Map<string, File>();
const controllers = new Map<string, AbortController>();
const waiting: string[] = [];
let running = 0;
let seq = 0;

function update(key: string, f: (u: QueuedUpload) => UploadItem) {
  uploads.update((list) => list.map((u) => (u.key === key ? { ...u, ...f(u) } : u)));
}

function changed(collectionId: string) {
  documentChanges.update(() => ({ collectionId, at: Date.now() }));
}

/** Queues files for upload into a collection. */
export function enqueue(collection: { id: string; name: string }, chosen: File[]) {
  if (chosen.length === 0) return;
  const added = chosen.map((f) => {
    const key = `u${++seq}`;
    files.set(key, f);
    return { ...newUpload(key, f), collectionId: collection.id, collectionName: collection.name };
  });
  uploads.update((list) => {
    const kept = list.filter((u) => !finished(u)).concat(list.filter(finished).slice(0, KEEP_FINISHED));
    return [...added, ...kept];
  });
  waiting.push(...added.map((u) => u.key));
  pump();
}

function pump() {
  while (running < PARALLEL_UPLOADS && waiting.length > 0) {
    const key = waiting.shift()!;
    running++;
    void run(key).finally(() => {
      running--;
      pump();
    });
  }
}

async function run(key: string) {
  const item = uploads.get().find((u) => u.key === key);
  const file = files.get(key);
  if (!item || !file) return;
  const controller = new AbortController();
  controllers.set(key, controller);
  const signal = controller.signal;
  try {
    const result = await uploadFile(item.collectionId, file, (fraction) => update(key, (u) => uploadSent(u, fraction)), signal);
    update(key, (u) => uploadAccepted(u, result));
    changed(item.collectionId);
    if (!result.duplicate && result.jobId) {
      const job = await watchJob(result.jobId, (j) => update(key, (u) => jobUpdate(u, j)), signal);
      update(key, (u) => jobUpdate(u, job));
    }
  } catch (e) {
    update(key, (u) => uploadFailed(u, signal.aborted ? "cancelled" : describeError(e)));
  } finally {
    controllers.delete(key);
    changed(item.collectionId);
    const now = uploads.get().find((u) => u.key === key);
    if (now && now.phase !== "failed") files.delete(key);
  }
}

/** Whether the upload can still be cancelled: not yet accepted by the server. */
export const cancellable = (u: UploadItem) => u.phase === "waiting" || u.phase === "uploading";

/** Stops a file that is waiting or being sent; a file the server has accepted is indexed regardless. */
export function cancel(key: string) {
  const i = waiting.indexOf(key);
  if (i >= 0) {
    waiting.splice(i, 1);
    update(key, (u) => uploadFailed(u, "cancelled"));
    return;
  }
  controllers.get(key)?.abort();
}

/** Sends a failed file again. */
export function retryUpload(key: string) {
  const u = uploads.get().find((x) => x.key === key);
  if (!u || u.phase !== "failed" || !files.has(key)) return;
  update(key, (x) => ({ ...newUpload(key, x), collectionId: x.collectionId, collectionName: x.collectionName }));
  waiting.push(key);
  pump();
}

/** Whether a failed upload can be sent again (its file is still at hand). */
export const retryable = (u: UploadItem) => u.phase === "failed" && files.has(u.key);

/** Removes finished rows (of one collection, or all). */
export function clearFinished(collectionId?: string) {
  uploads.update((list) => list.filter((u) => !finished(u) || (collectionId !== undefined && u.collectionId !== collectionId)));
  for (const key of [...files.keys()]) if (!uploads.get().some((u) => u.key === key)) files.delete(key);
}

/** Files not yet accepted by the server: leaving the page would lose them. */
export function unsent(list: QueuedUpload[]): number {
  return list.filter(cancellable).length;
}
