// The Omnirag HTTP API as the UI uses it (docs/api.md). Every failure becomes an ApiError whose message is
// the server's problem detail, or a sentence about the network, so the UI can always show words.
import { authedFetch, getKey, unauthorized } from "./auth";
import { jsonData, readSse, type SseEvent } from "./sse";

export interface Collection {
  id: string;
  name: string;
  description?: string | null;
  embeddingSpace?: string;
  dimensions?: number;
  createdAt?: string;
  /** Present once the server has multimodal embedders: e.g. ["text", "image"]. */
  modalities?: string[];
  /** Its documents by status (servers before these counts leave it out). */
  documents?: { total: number; ready: number; processing: number; failed: number };
}

export interface DocumentInfo {
  id: string;
  collectionId: string;
  filename: string;
  mediaType: string;
  sizeBytes: number;
  status: "processing" | "ready" | "failed" | string;
  error?: string | null;
  chunkCount: number;
  pageCount?: number | null;
  createdAt?: string;
}

export interface Job {
  id: string;
  documentId: string;
  status: "queued" | "running" | "succeeded" | "failed" | string;
  progress: number;
  message?: string | null;
  error?: string | null;
}

export interface UploadResult {
  documentId: string;
  jobId: string | null;
  status: string;
  duplicate: boolean;
}

/** An archive import's aggregate progress (GET /v1/imports/{id}). */
export interface ImportInfo {
  id: string;
  collectionId: string;
  filename: string;
  status: "unpacking" | "ingesting" | "done" | "failed" | "cancelled";
  entries: number;
  files: number;
  duplicates: number;
  skipped: number;
  skippedFiles: { name: string; reason: string }[];
  jobs: { queued: number; running: number; succeeded: number; failed: number };
  docsPerSecond: number | null;
  etaSeconds: number | null;
  error: string | null;
}

/** Where a cited or found passage lies. Every field is optional: a client shows what is there. */
export interface Locator {
  page?: number;
  charStart?: number;
  charEnd?: number;
  /** A box in fractions of the page or image (0..1), for OCR'd scans and images. */
  bbox?: { x?: number; y?: number; w?: number; h?: number; width?: number; height?: number };
  startMs?: number;
  endMs?: number;
  /** A spreadsheet's sheet name (its page is the sheet's number). */
  sheet?: string;
  startSec?: number;
  endSec?: number;
  start?: number;
  end?: number;
  [key: string]: unknown;
}

export interface Citation {
  n: number;
  chunkId?: string;
  documentId: string;
  filename?: string;
  mediaType?: string;
  locator?: Locator | null;
  quote?: string;
  /** Set by generators that check their quotes; false = the quote could not be found in the source. */
  verified?: boolean;
  /** The claim is the source's own words (extractive answers). */
  verbatim?: boolean;
  /** How strongly the passage bears on the question; the badge follows it. */
  support?: "strong" | "weak";
}

export interface AskResult {
  answer: string;
  conversationId?: string;
  turn?: number;
  citations: Citation[];
  generator?: string;
  fallback?: boolean;
  fallbackReason?: string;
}

export interface SearchResult {
  chunkId: string;
  documentId: string;
  filename: string;
  mediaType: string;
  score: number;
  text: string;
  locator?: Locator | null;
  metadata?: Record<string, string>;
}

export interface SearchResponse {
  results: SearchResult[];
  mode: string;
  fusion: string;
  tookMs: number;
}

export interface Highlight {
  page: number;
  found: boolean;
  boxes: { x: number; y: number; w: number; h: number }[];
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Turns any failure into a sentence for a person. */
export function describeError(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof DOMException && e.name === "AbortError") return "Stopped.";
  if (e instanceof TypeError) return `Cannot reach the Omnirag server (${e.message}). Is it running?`;
  if (e instanceof Error) return e.message;
  return String(e);
}

/** The error an HTTP response carries: the problem document's detail when there is one. */
export async function errorFrom(res: Response): Promise<ApiError> {
  let detail = "";
  try {
    const text = await res.text();
    try {
      const problem = JSON.parse(text);
      detail = problem?.detail || problem?.error?.message || problem?.title || "";
    } catch {
      detail = text.slice(0, 300);
    }
  } catch {
    // body unreadable
  }
  const what = `${res.status}${res.statusText ? " " + res.statusText : ""}`;
  return new ApiError(detail ? `${detail} (HTTP ${res.status})` : `The server answered ${what}.`, res.status);
}

/** The calling key as the server sees it (GET /v1/keys/me). */
export interface Me {
  id?: string | null;
  name: string;
  admin: boolean;
  authEnabled: boolean;
  grants: { collectionId: string; collection: string; role: string }[];
}

async function call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const res = await authedFetch(path, {
    method,
    headers: body === undefined ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  if (!res.ok) throw await errorFrom(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

const enc = encodeURIComponent;

/** What the server can do as configured (GET /v1/capabilities). */
export interface Capabilities {
  fileTypes: string;
  modalities: string[];
  embedder: string;
  multimodal?: string | null;
  generator: string;
  rerankers: string[];
  profiles: string[];
}

/** A saved conversation (without its turns). */
export interface ConversationSummary {
  id: string;
  collectionId: string;
  title: string;
  createdAt: string;
  updatedAt: string;
}

/** One saved turn: the question, the answer and its citations as returned then, and the reader's rating. */
export interface SavedTurn {
  n: number;
  question: string;
  answer: string;
  citations: Citation[];
  generator?: string;
  feedback?: "up" | "down";
}

export interface ConversationDetail extends ConversationSummary {
  turns: SavedTurn[];
}

export const api = {
  capabilities: () => call<Capabilities>("GET", "/v1/capabilities"),
  collections: () => call<{ collections: Collection[] }>("GET", "/v1/collections").then((r) => r.collections),
  collection: (id: string) => call<Collection>("GET", `/v1/collections/${enc(id)}`),
  createCollection: (name: string, description?: string) =>
    call<Collection>("POST", "/v1/collections", { name, description: description || undefined }),
  updateCollection: (id: string, change: { name?: string; description?: string }) =>
    call<Collection>("PATCH", `/v1/collections/${enc(id)}`, change),
  deleteCollection: (id: string) => call<void>("DELETE", `/v1/collections/${enc(id)}`),
  /** Its documents in upload order: all of them, or the first `limit` (at most 1000). */
  documents: (collectionId: string, limit?: number) =>
    call<{ documents: DocumentInfo[] }>(
      "GET",
      `/v1/collections/${enc(collectionId)}/documents${limit ? `?limit=${limit}` : ""}`,
    ).then((r) => r.documents),
  /** Its document counts by status, without listing the documents. */
  documentCounts: (collectionId: string) =>
    call<Collection>("GET", `/v1/collections/${enc(collectionId)}`).then((c) => c.documents),
  document: (id: string) => call<DocumentInfo>("GET", `/v1/documents/${enc(id)}`),
  importStatus: (id: string, signal?: AbortSignal) => call<ImportInfo>("GET", `/v1/imports/${enc(id)}`, undefined, signal),
  cancelImport: (id: string) => call<ImportInfo>("POST", `/v1/imports/${enc(id)}/cancel`),
  deleteDocument: (id: string) => call<void>("DELETE", `/v1/documents/${enc(id)}`),
  job: (id: string) => call<Job>("GET", `/v1/jobs/${enc(id)}`),
  me: () => call<Me>("GET", "/v1/keys/me"),
  search: (collectionId: string, body: { query?: string; mode?: string; k?: number; imageUrl?: string }) =>
    call<SearchResponse>("POST", `/v1/collections/${enc(collectionId)}/search`, body),
  conversations: (collectionId: string, q?: string) =>
    call<{ conversations: ConversationSummary[] }>("GET",
      `/v1/collections/${enc(collectionId)}/conversations${q ? `?q=${enc(q)}` : ""}`).then((r) => r.conversations),
  createConversation: (collectionId: string) =>
    call<ConversationSummary>("POST", `/v1/collections/${enc(collectionId)}/conversations`, {}),
  conversation: (id: string) => call<ConversationDetail>("GET", `/v1/conversations/${enc(id)}`),
  renameConversation: (id: string, title: string) => call<ConversationSummary>("PATCH", `/v1/conversations/${enc(id)}`, { title }),
  deleteConversation: (id: string) => call<void>("DELETE", `/v1/conversations/${enc(id)}`),
  rateTurn: (id: string, n: number, rating: "up" | "down") =>
    call<unknown>("POST", `/v1/conversations/${enc(id)}/turns/${n}/feedback`, { rating }),
  highlight: (documentId: string, page: number, quote: string, signal?: AbortSignal) =>
    call<Highlight>("GET", `/v1/documents/${enc(documentId)}/pages/${page}/highlight?quote=${enc(quote.slice(0, 1500))}`,
      undefined, signal),
};

export const urls = {
  content: (documentId: string) => `/v1/documents/${enc(documentId)}/content`,
  page: (documentId: string, page: number) => `/v1/documents/${enc(documentId)}/pages/${page}.png`,
};

/** Opens an SSE response (GET or POST) and hands each event on; problem responses become ApiErrors. */
export async function stream(
  path: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal },
  onEvent: (e: SseEvent) => void,
): Promise<void> {
  const res = await authedFetch(path, {
    method: init.method ?? "GET",
    headers: init.body === undefined ? { Accept: "text/event-stream" } : { Accept: "text/event-stream", "Content-Type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
  });
  if (!res.ok) throw await errorFrom(res);
  if (!res.body) throw new ApiError("The server's stream had no body.", res.status);
  await readSse(res.body, onEvent);
}

/** Follows a job until it succeeds or fails: its SSE stream, then polling if the stream ends early. */
export async function watchJob(jobId: string, onUpdate: (job: Job) => void, signal?: AbortSignal): Promise<Job> {
  let last: Job | undefined;
  try {
    await stream(`/v1/jobs/${enc(jobId)}/events`, { signal }, (e) => {
      const job = jsonData<Job>(e);
      if (job) {
        last = job;
        onUpdate(job);
      }
    });
  } catch (e) {
    if (signal?.aborted || (e instanceof ApiError && e.status === 404)) throw e;
    // a dropped connection: fall back to polling below
  }
  while (!last || (last.status !== "succeeded" && last.status !== "failed")) {
    if (signal?.aborted) throw new DOMException("aborted", "AbortError");
    await new Promise((r) => setTimeout(r, 1000));
    last = await api.job(jobId);
    onUpdate(last);
  }
  return last;
}

/**
 * Sends one file as multipart with upload progress (fetch cannot report it, XMLHttpRequest can). Resolves with
 * the server's answer: 202 (queued) or 200 (duplicate); rejects with an ApiError carrying the problem detail.
 */
export function uploadFile(
  collectionId: string,
  file: File,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<UploadResult> {
  return sendFile(`/v1/collections/${enc(collectionId)}/documents`, "file", file, onProgress, signal);
}

/** Sends a zip or tar archive to be imported (each of its files a document); resolves with the import. */
export function importArchive(
  collectionId: string,
  file: File,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<ImportInfo> {
  return sendFile(`/v1/collections/${enc(collectionId)}/imports`, "archive", file, onProgress, signal);
}

function sendFile<T>(
  path: string,
  part: string,
  file: File,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", path);
    xhr.setRequestHeader("Accept", "application/json");
    const key = getKey();
    if (key) xhr.setRequestHeader("Authorization", `Bearer ${key}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: { detail?: string; error?: { message?: string } } | undefined = undefined;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON
      }
      if (xhr.status >= 200 && xhr.status < 300 && body) resolve(body as unknown as T);
      else {
        const detail = body?.detail || body?.error?.message || xhr.statusText || "upload failed";
        if (xhr.status === 401) unauthorized(`The server refused the API key: ${detail}. Enter another key.`);
        reject(new ApiError(`${detail} (HTTP ${xhr.status})`, xhr.status));
      }
    };
    xhr.onerror = () => reject(new TypeError("the upload connection failed"));
    xhr.onabort = () => reject(new DOMException("aborted", "AbortError"));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append(part, file, file.name);
    xhr.send(form);
  });
}
