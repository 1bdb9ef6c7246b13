package dev.omnirag.server.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Uploads, parsing, chunking and the ingestion worker pool. */
@ConfigMapping(prefix = "omnirag.ingest")
public interface IngestConfig {

    /** The default of {@link #maxUploadSize()}, also read by {@link BodyLimitConfigSourceFactory}. */
    String DEFAULT_MAX_UPLOAD_SIZE = "100M";

    /**
     * Largest accepted upload; bigger ones get 413, from {@code Content-Length} before the body is read, or as soon
     * as this much has arrived when the length is not declared (chunked, HTTP/2). Unless set explicitly,
     * {@code quarkus.http.limits.max-body-size} follows this value (plus 1 MiB for the multipart envelope).
     */
    @WithDefault(DEFAULT_MAX_UPLOAD_SIZE)
    MemorySize maxUploadSize();

    /**
     * Longest time one upload may take to arrive, counted from when its request reached the endpoint; a slower one
     * gets 408, its connection is closed and nothing of it is kept.
     */
    @WithDefault("10m")
    Duration uploadTimeout();

    /** Uploads one API key may have in flight at once (bodies being received); more get 429 with Retry-After. */
    @WithDefault("4")
    int maxConcurrentUploadsPerKey();

    /**
     * Ingestion jobs run at once. Each worker prepares (claims, parses, chunks) its next documents while its own
     * embedding thread embeds the ones before. At most cores / (embedder threads × parallel runs) workers embed at the
     * same time (one with the defaults); the others meanwhile claim, parse and chunk their next documents. 0: this
     * instance runs no ingestion and only queues uploads, for other replicas to process.
     */
    @WithDefault("1")
    int workers();

    /** Target chunk size in model tokens. */
    @WithDefault("300")
    int chunkTokens();

    /** Tokens repeated from the end of one chunk at the start of the next, at sentence boundaries. */
    @WithDefault("50")
    int chunkOverlapTokens();

    /** Chunks per embedding call; the chunks of several small documents share one call. */
    @WithDefault("16")
    int embedBatch();

    /**
     * Most queued jobs of one collection a worker claims in one round trip, as long as their files total at most 16 KB
     * (a larger file is claimed alone); their chunks share embedding calls and their documents are committed and
     * marked ready together. A job resumed after an interrupted run is always
     * claimed alone, so a file that crashes the server cannot use up its neighbours' attempts. 1: one at a time.
     */
    @WithDefault("16")
    int claimBatch();

    /**
     * Shortest time between two commits of the ingestion committer while documents keep coming: what is embedded
     * meanwhile waits and is committed (one segment, one refresh, one fsync) and marked ready together. Under a bulk
     * import this makes fewer and larger index segments, so less flushing and merging; a document that arrives after
     * a quiet spell is committed at once. 0: commit as soon as anything is embedded.
     */
    @WithDefault("1s")
    Duration commitInterval();

    /**
     * Index what can be recovered from PDFs whose cross-reference structure is broken (truncated downloads,
     * damaged files). Off by default: such files fail with a reason rather than add fragments to the index.
     */
    @WithDefault("false")
    boolean repairDamagedPdfs();

    /**
     * How long a worker's claim on a job lasts without renewal (renewed every third of it while the job runs).
     * When a replica dies, another one takes its jobs over once their leases expire.
     */
    @WithDefault("60s")
    Duration lease();

    /** How often idle workers look for queued jobs (they are also woken at once by local uploads). */
    @WithDefault("1s")
    Duration pollInterval();

    /** A job interrupted this many times (its worker stopped or crashed each time) fails instead of retrying. */
    @WithDefault("3")
    int maxAttempts();

    /**
     * At start-up, before the workers run, compare every collection's index with the database and repair what a
     * crash left behind: remove chunks of documents that are deleted or failed, and queue again ready documents
     * whose chunks in the index are missing or incomplete. Reads the whole index once per collection.
     */
    @WithDefault("true")
    boolean reconcileOnStart();

    /** Longest time parsing one file may take before its job fails. */
    @WithDefault("120s")
    Duration parseTimeout();

    /**
     * Most jobs waiting in the durable queue (table {@code jobs}, status queued). Uploads beyond the worker pool's
     * capacity are queued, never dropped; only when this many are already waiting does an upload get 503 with
     * {@code Retry-After}, before anything of it is stored.
     */
    @WithDefault("10000")
    int maxQueuedJobs();

    /** The {@code Retry-After} given with the 503 of a full queue. */
    @WithDefault("30s")
    Duration queueFullRetryAfter();

    /**
     * Largest ratio of uncompressed to compressed size of a zip entry (DOCX, XLSX, PPTX, ODT, EPUB) and of
     * extracted text to file size: beyond it the file is taken for a zip bomb and fails.
     */
    @WithDefault("100")
    int maxCompressionRatio();

    /** Most characters of text extracted from one file; a file with more fails with the reason. */
    @WithDefault("20000000")
    long maxTextChars();

    /** Most pages (PDF pages, slides, sheets, scanned pages, image frames) of one file; more fail. */
    @WithDefault("5000")
    int maxPages();

    /** Most chunks one document may have; a document that would have more fails with the reason. */
    @WithDefault("20000")
    int maxChunksPerDocument();
}
