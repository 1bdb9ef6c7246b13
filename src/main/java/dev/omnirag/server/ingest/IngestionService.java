package dev.omnirag.server.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnirag.embeddings.Embedder;
import dev.omnirag.index.IndexedChunk;
import dev.omnirag.index.Locator;
import dev.omnirag.index.VectorIndex;
import dev.omnirag.server.config.IngestConfig;
import dev.omnirag.server.db.ChunkEntity;
import dev.omnirag.server.db.CollectionEntity;
import dev.omnirag.server.db.Db;
import dev.omnirag.server.db.DocumentEntity;
import dev.omnirag.server.db.JobEntity;
import dev.omnirag.server.search.CollectionIndexes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Runs ingestion jobs: parse (Tika), chunk, embed, index, then record chunks and mark the document ready.
 *
 * <p>Jobs are rows in PostgreSQL, so they survive restarts: at start-up every job still queued or running is
 * queued again. Work runs on a bounded pool of {@code omnirag.ingest.workers} threads, never on the event
 * loop. Chunk ids are deterministic ({@code <document>:v1:<ordinal>}) and a re-run first removes the
 * document's chunks, so running a job twice never duplicates anything.
 *
 * <p>Crash safety: the index is committed (durable) <em>before</em> the transaction that records the chunks
 * and marks the document ready, so a ready document always has all its chunks in the index, even after a
 * SIGKILL. What a crash can leave behind (chunks of an interrupted run, of a document deleted or failed just
 * before) is repaired by {@link IndexReconciler} at the next start, before the workers run; a failed job also
 * removes its document's chunks at once.
 *
 * <p>Group commit: a worker does not commit the index itself. Once a document's chunks are in the index it hands
 * the document to the committer thread and goes on with its next job; the committer commits each index once for
 * every document handed over since its last commit, and only then marks those documents ready, one transaction
 * each. The invariant above holds (a document is marked ready only after a commit that started after its
 * chunks were added), while the commit's fsyncs and the final transaction overlap with embedding the next
 * documents instead of running between them.
 */
@ApplicationScoped
public class IngestionService {

    private static final Logger LOG = Logger.getLogger(IngestionService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Most documents waiting for a group commit; a worker that would exceed it waits. */
    private static final int PENDING_LIMIT = 64;
    /**
     * Least time between two progress writes of one job: each write is a transaction (and a WAL fsync), which for
     * small documents cost more than the progress is worth. Leases are renewed by their own timer, not by these.
     */
    private static final long PROGRESS_INTERVAL_MS = 500;

    private final Db db;
    private final BlobStore blobs;
    private final DocumentParser parser;
    private final Chunker chunker;
    private final Embedder embedder;
    private final CollectionIndexes indexes;
    private final IngestConfig config;
    private final MediaProcessor media;
    private final dev.omnirag.server.search.EmbeddingSpaces spaces;
    private final TranscriptChunker transcriptChunker;
    private final int embedImageSize;
    private final Counter documentsIngested;
    private final Counter documentsFailed;
    private final Counter chunksIndexed;
    private final Timer ingestDuration;
    private final io.vertx.mutiny.sqlclient.Pool pool;
    private final String worker;
    private final IndexReconciler reconciler;
    private final Object wake = new Object();
    /** Documents whose chunks are in the index, waiting for the committer (bounded: workers wait when full). */
    private final java.util.concurrent.BlockingQueue<Pending> pending =
            new java.util.concurrent.ArrayBlockingQueue<>(PENDING_LIMIT);
    /** When each running job last wrote its progress (progress is written at most every PROGRESS_INTERVAL_MS). */
    private final Map<UUID, Long> lastProgress = new java.util.concurrent.ConcurrentHashMap<>();
    private Thread committer;
    /** How often stopped worker loops are looked for and restarted. */
    private static final java.time.Duration SUPERVISE = java.time.Duration.ofSeconds(5);
    /** The collection of the job this instance claimed last: the next claim starts after it. */
    private final java.util.concurrent.atomic.AtomicReference<UUID> lastCollection = new java.util.concurrent.atomic.AtomicReference<>();
    /** Worker loops running now (each decrements when it ends, however it ends). */
    private final AtomicInteger liveWorkers = new AtomicInteger();
    /** Workers that may embed at once: the cores over the embedder's threads, at least one. */
    private final java.util.concurrent.Semaphore embedders;
    private ExecutorService workers;
    private ExecutorService parsers;
    private java.util.concurrent.ScheduledExecutorService leases;
    private volatile boolean running;

    IngestionService(Db db, BlobStore blobs, DocumentParser parser, Chunker chunker, Embedder embedder,
            CollectionIndexes indexes, IngestConfig config, MeterRegistry registry, io.vertx.mutiny.sqlclient.Pool pool,
            dev.omnirag.server.config.OmniragConfig omnirag,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.http.port") int httpPort,
            MediaProcessor media, dev.omnirag.server.search.EmbeddingSpaces spaces,
            dev.omnirag.server.config.AsrConfig asr, dev.omnirag.server.config.ImageConfig images,
            IndexReconciler reconciler, dev.omnirag.server.config.EmbedderConfig embedderConfig) {
        int cores = Runtime.getRuntime().availableProcessors();
        this.embedders = new java.util.concurrent.Semaphore(Math.max(1, cores / Math.max(1, embedderConfig.threads().orElse(cores))));
        this.reconciler = reconciler;
        this.media = media;
        this.spaces = spaces;
        this.transcriptChunker = new TranscriptChunker(asr.window().toMillis(), asr.windowOverlap().toMillis());
        this.embedImageSize = images.embedSize();
        this.pool = pool;
        this.worker = omnirag.instanceId().orElseGet(() -> hostName() + ":" + httpPort);
        this.db = db;
        this.blobs = blobs;
        this.parser = parser;
        this.chunker = chunker;
        this.embedder = embedder;
        this.indexes = indexes;
        this.config = config;
        this.documentsIngested = Counter.builder("omnirag.documents.ingested")
                .description("Documents ingested successfully").register(registry);
        this.documentsFailed = Counter.builder("omnirag.documents.failed")
                .description("Documents whose ingestion failed").register(registry);
        this.chunksIndexed = Counter.builder("omnirag.chunks.indexed")
                .description("Chunks embedded and indexed").register(registry);
        this.ingestDuration = Timer.builder("omnirag.ingest.duration").description("Time to ingest one document")
                .publishPercentileHistogram().register(registry);
    }

    void start(@Observes StartupEvent event) {
        if (config.reconcileOnStart()) {
            // Before any worker runs, so what it re-queues is claimed like any other job.
            try {
                reconciler.reconcileAll();
            } catch (RuntimeException e) {
                LOG.errorf(e, "Index reconcile failed; the server starts without it (it runs again at the next start)");
            }
        }
        AtomicInteger n = new AtomicInteger();
        running = true;
        if (config.workers() < 0) {
            throw new IllegalArgumentException("omnirag.ingest.workers must be >= 0; omnirag.ingest.workers=" + config.workers());
        }
        workers = Executors.newFixedThreadPool(Math.max(1, config.workers()), r -> {
            Thread t = new Thread(r, "omnirag-ingest-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        parsers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "omnirag-parse");
            t.setDaemon(true);
            return t;
        });
        // Jobs this instance held when it stopped are ours: expire their leases so they resume now.
        long mine = update("UPDATE jobs SET lease_until = now() WHERE worker = $1 AND status = 'running'",
                io.vertx.mutiny.sqlclient.Tuple.of(worker));
        long waiting = queryLong("SELECT count(*) FROM jobs WHERE status IN ('queued', 'running')");
        LOG.infof("Ingestion: %d worker(s) as '%s'; %d job(s) waiting or running%s", config.workers(), worker, waiting,
                mine > 0 ? ", " + mine + " of them resumed from this instance's last run" : "");
        committer = new Thread(this::commitLoop, "omnirag-ingest-commit");
        committer.setDaemon(true);
        committer.start();
        for (int i = 0; i < config.workers(); i++) {
            workers.execute(this::workLoop);
        }
        leases = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "omnirag-lease");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, config.lease().toMillis() / 3);
        leases.scheduleAtFixedRate(this::renewLeases, every, every, TimeUnit.MILLISECONDS);
        leases.scheduleWithFixedDelay(this::restartStoppedWorkers, SUPERVISE.toMillis(), SUPERVISE.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void stop(@Observes @Priority(1) ShutdownEvent event) {
        running = false;
        if (workers != null) {
            leases.shutdownNow();
            workers.shutdownNow();
            parsers.shutdownNow();
            try {
                workers.awaitTermination(20, TimeUnit.SECONDS);
                // The committer finishes the documents already handed to it (it stops once the queue is empty).
                committer.join(TimeUnit.SECONDS.toMillis(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Wakes an idle worker: a job was just queued. The job itself is found in the database. */
    public void submit(UUID jobId) {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /**
     * Jobs waiting in the durable queue, counted up to {@code atMost} (so the query stays cheap however long the
     * queue is). Blocking.
     */
    public long queuedJobs(int atMost) {
        var rows = pool.preparedQuery("SELECT count(*) FROM (SELECT 1 FROM jobs WHERE status = 'queued' LIMIT $1) q")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(atMost))
                .await().atMost(java.time.Duration.ofSeconds(30));
        return rows.iterator().next().getLong(0);
    }

    /** This instance's name in job leases. */
    public String worker() {
        return worker;
    }

    /**
     * What is wrong with this instance's ingestion threads, for readiness: worker loops or the committer that stopped
     * while the service runs (a bug, or an OutOfMemoryError that killed them). Empty when all run, or before start
     * and after stop.
     */
    public List<String> stoppedThreads() {
        List<String> problems = new ArrayList<>();
        if (!running || workers == null) {
            return problems;
        }
        int live = liveWorkers.get();
        if (live < config.workers()) {
            problems.add((config.workers() - live) + " of " + config.workers() + " ingestion worker(s) stopped");
        }
        if (committer == null || !committer.isAlive()) {
            problems.add("the ingestion committer thread stopped");
        }
        return problems;
    }

    /**
     * Starts a worker loop for each one that stopped while the service runs, so that ingestion goes on; readiness
     * was DOWN in between ({@link #stoppedThreads}).
     */
    private void restartStoppedWorkers() {
        int missing = config.workers() - liveWorkers.get();
        for (int i = 0; running && i < missing; i++) {
            LOG.warnf("Restarting a stopped ingestion worker (%d of %d running)", liveWorkers.get(), config.workers());
            workers.execute(this::workLoop);
        }
    }

    private void workLoop() {
        liveWorkers.incrementAndGet();
        try {
            work();
        } finally {
            liveWorkers.decrementAndGet();
            if (running) {
                LOG.errorf("Ingestion worker %s stopped while the service runs; readiness is DOWN until it is "
                        + "restarted (within %d s)", Thread.currentThread().getName(), SUPERVISE.toSeconds());
            }
        }
    }

    private void work() {
        while (running && !Thread.currentThread().isInterrupted()) {
            try {
                UUID job = claim();
                if (job != null) {
                    run(job);
                    continue;
                }
                synchronized (wake) {
                    wake.wait(config.pollInterval().toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warnf("Ingestion worker could not claim a job: %s", e.getMessage());
                    sleepQuietly(config.pollInterval().toMillis());
                }
            }
        }
    }

    /** Claims a job (see {@link #claim}); the condition on the collection goes between the two parts. */
    private static final String CLAIM = "UPDATE jobs SET status = 'running', worker = $1, "
            + "lease_until = now() + make_interval(secs => $2), attempts = attempts + 1, "
            + "started_at = coalesce(started_at, now()), updated_at = now(), error = NULL, "
            + "message = CASE WHEN status = 'running' THEN 'resumed after an interrupted run' ELSE 'parsing' END "
            + "WHERE id = (SELECT id FROM jobs WHERE status IN ('queued', 'running') "
            + "AND (status = 'queued' OR lease_until < now()) ";
    private static final String CLAIM_END = "ORDER BY collection_id, created_at FOR UPDATE SKIP LOCKED LIMIT 1) "
            + "RETURNING id, attempts, collection_id";

    /**
     * Claims a queued job, or a running one whose worker's lease expired, for this instance: the oldest of the next
     * collection after the one this instance served last, so collections take turns. {@code FOR UPDATE SKIP LOCKED}
     * lets several workers and replicas claim at once without waiting on or taking the same row.
     */
    private UUID claim() {
        // Round-robin over collections: the next collection (in id order) after the one served last, then from the
        // first; within a collection, oldest first. One writer's thousand uploads cannot starve another collection.
        UUID after = lastCollection.get();
        var rows = after == null ? null : pool.preparedQuery(CLAIM + "AND collection_id > $3 " + CLAIM_END)
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(worker, config.lease().toMillis() / 1000.0, after))
                .await().atMost(java.time.Duration.ofSeconds(30));
        if (rows == null || !rows.iterator().hasNext()) {
            rows = pool.preparedQuery(CLAIM + CLAIM_END)
                    .execute(io.vertx.mutiny.sqlclient.Tuple.of(worker, config.lease().toMillis() / 1000.0))
                    .await().atMost(java.time.Duration.ofSeconds(30));
        }
        var it = rows.iterator();
        if (!it.hasNext()) {
            return null;
        }
        var row = it.next();
        UUID id = row.getUUID("id");
        lastCollection.set(row.getUUID("collection_id"));
        int attempts = row.getInteger("attempts");
        if (attempts > config.maxAttempts()) {
            giveUp(id, attempts - 1);
            return null;
        }
        if (attempts > 1) {
            LOG.infof("Job %s resumed by %s (attempt %d)", id, worker, attempts);
        }
        return id;
    }

    private void renewLeases() {
        try {
            update("UPDATE jobs SET lease_until = now() + make_interval(secs => $2) WHERE worker = $1 AND status = 'running'",
                    io.vertx.mutiny.sqlclient.Tuple.of(worker, config.lease().toMillis() / 1000.0));
        } catch (RuntimeException e) {
            LOG.warnf("Could not renew job leases: %s", e.getMessage());
        }
    }

    private void giveUp(UUID jobId, int interruptions) {
        String reason = "ingestion was interrupted " + interruptions + " times (the server stopped or crashed while "
                + "processing this file); giving up after omnirag.ingest.max-attempts=" + config.maxAttempts();
        LOG.warnf("Job %s: %s", jobId, reason);
        markFailed(jobId, reason, null);
        documentsFailed.increment();
    }

    private long update(String sql, io.vertx.mutiny.sqlclient.Tuple params) {
        return pool.preparedQuery(sql).execute(params).await().atMost(java.time.Duration.ofSeconds(30)).rowCount();
    }

    private long queryLong(String sql) {
        var rows = pool.query(sql).execute().await().atMost(java.time.Duration.ofSeconds(30));
        return rows.iterator().next().getLong(0);
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "omnirag";
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Work(JobEntity job, DocumentEntity document, CollectionEntity collection) {
    }

    void run(UUID jobId) {
        Work work = db.tx(() -> JobEntity.<JobEntity>findById(jobId).flatMap(job -> {
            if (job == null || job.isTerminal() || !worker.equals(job.worker)) {
                return Uni.createFrom().nullItem();
            }
            return DocumentEntity.<DocumentEntity>findById(job.documentId).flatMap(doc -> {
                if (doc == null) {
                    return Uni.createFrom().nullItem();
                }
                return CollectionEntity.<CollectionEntity>findById(doc.collectionId).map(coll -> {
                    job.progress = Math.max(job.progress, 0.01);
                    return coll == null ? null : new Work(job, doc, coll);
                });
            });
        }));
        if (work == null) {
            return;
        }
        long started = System.nanoTime();
        lastProgress.put(jobId, started); // the first progress write comes PROGRESS_INTERVAL_MS into the job
        DocumentEntity doc = work.document();
        try {
            LOG.infof("Ingesting %s (%s, %d bytes) into collection %s", doc.filename, doc.mediaType, doc.sizeBytes,
                    work.collection().name);
            if (doc.sizeBytes == 0) {
                throw new IngestException.BadFile("the file is empty (0 bytes)");
            }
            spaces.checkText(work.collection());
            java.util.Optional<Embedder> nativeEmbedder = spaces.nativeFor(work.collection());
            Path file = blobs.path(doc.sha256);
            ParsedDocument parsed = parse(file, doc.mediaType, doc.filename);
            if (!parsed.ocrPages().isEmpty() || parsed.kind() == ParsedDocument.Kind.AUDIO) {
                // OCR and speech recognition run outside the parse time limit, each page or recording with its own.
                parsed = media.complete(parsed, file, doc.mediaType,
                        (message, fraction) -> progress(jobId, 0.02 + 0.06 * fraction, message));
            }
            if (!parsed.hasText()) {
                throw new IngestException.BadFile(parsed.kind() == ParsedDocument.Kind.PDF
                        ? "no text could be extracted from the PDF's pages, not even by OCR"
                        : "no text could be extracted from the file");
            }
            List<Chunker.Chunk> chunks = new ArrayList<>();
            List<Locator> locators = new ArrayList<>();
            List<List<ParsedDocument.Span>> chunkSpans = new ArrayList<>();
            chunk(parsed, chunks, locators, chunkSpans);
            if (chunks.isEmpty()) {
                throw new IngestException.BadFile("the file has no text to index");
            }
            if (chunks.size() > config.maxChunksPerDocument()) {
                throw new IngestException.BadFile("the document would have " + chunks.size() + " chunks; at most "
                        + config.maxChunksPerDocument() + " are indexed per document (omnirag.ingest.max-chunks-per-document)");
            }
            Map<Integer, float[]> nativeVectors = nativeVectors(parsed, chunks, file, doc.mediaType,
                    nativeEmbedder.orElse(null), jobId);
            progress(jobId, 0.1, "parsed " + parsed.pages().size() + " page(s) into " + chunks.size() + " chunks");
            VectorIndex index = indexes.get(work.collection());
            // Chunks of an earlier, interrupted run go first. Counted before deleting: a delete waits for a commit
            // the committer may be running, and most documents have no earlier chunks.
            if (index.countDocument(doc.id.toString()) > 0) {
                index.deleteDocument(doc.id.toString());
            }
            Map<String, String> metadata = metadataOf(doc.metadata);
            int batch = Math.max(1, config.embedBatch());
            List<IndexedChunk> last = List.of();
            for (int from = 0; from < chunks.size(); from += batch) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new IngestException("the server is shutting down; the job will resume at the next start", null);
                }
                List<Chunker.Chunk> part = chunks.subList(from, Math.min(chunks.size(), from + batch));
                List<float[]> vectors = embed(part);
                List<IndexedChunk> toIndex = new ArrayList<>(part.size());
                for (int i = 0; i < part.size(); i++) {
                    Chunker.Chunk c = part.get(i);
                    toIndex.add(new IndexedChunk(chunkId(doc.id, from + i), doc.id.toString(), doc.filename,
                            doc.mediaType, c.text(), vectors.get(i), locators.get(from + i), metadata,
                            nativeVectors.get(from + i)));
                }
                int done = Math.min(chunks.size(), from + batch);
                if (done < chunks.size()) {
                    index.upsert(toIndex);
                } else {
                    // The committer adds the last batch, with those of the other documents it commits together
                    // (one near-real-time refresh, one new segment for all of them, not one per document).
                    last = toIndex;
                }
                progress(jobId, 0.1 + 0.85 * done / chunks.size(), "embedded " + done + " of " + chunks.size() + " chunks");
            }
            // The committer commits the index (durable) before it marks the document ready: after a crash a ready
            // document has all its chunks.
            pending.put(new Pending(work, parsed, chunks, locators, chunkSpans, index, last, started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            requeueAfterShutdown(jobId);
        } catch (dev.omnirag.server.search.SpaceMismatchException e) {
            fail(work, e.getMessage());
        } catch (dev.omnirag.embeddings.EmbeddingException e) {
            fail(work, "embedding failed: " + e.getMessage());
        } catch (IngestException e) {
            if (Thread.currentThread().isInterrupted() && !(e instanceof IngestException.BadFile)) {
                requeueAfterShutdown(jobId);
                return;
            }
            fail(work, e.getMessage());
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            // An Error here (a file that exhausts the heap or the stack) fails the job, not the worker thread, which
            // would otherwise die and leave the job's lease renewed forever.
            LOG.errorf(e, "Ingesting %s failed", doc.filename);
            fail(work, "internal error while ingesting the file: " + e);
        } finally {
            lastProgress.remove(jobId);
        }
    }

    /**
     * Embeds with at most {@code embedders} workers at once: each embedding already uses the embedder's threads
     * (by default every core), and more at once would only make them compete. Further workers meanwhile claim,
     * parse and chunk their next documents.
     */
    private List<float[]> embed(List<Chunker.Chunk> part) throws InterruptedException {
        embedders.acquire();
        try {
            return embedder.embedDocuments(part.stream().map(Chunker.Chunk::text).toList());
        } finally {
            embedders.release();
        }
    }

    /**
     * Whether this claim still holds the job: the same instance and the same attempt. The attempt number is the
     * claim's token: a second claim of the job (after the lease expired, even by another thread of this instance or
     * a replica with the same instance id) raised it, and only that newer claim may finish or fail it.
     */
    private boolean holds(JobEntity current, Work work) {
        return worker.equals(current.worker) && current.attempts == work.job().attempts;
    }

    /** A clean shutdown is not a failed attempt: hands the job back to the queue. */
    private void requeueAfterShutdown(UUID jobId) {
        try {
            update("UPDATE jobs SET status = 'queued', worker = NULL, lease_until = NULL, "
                    + "attempts = greatest(attempts - 1, 0), message = 'queued again after a shutdown' "
                    + "WHERE id = $1 AND worker = $2 AND status = 'running'",
                    io.vertx.mutiny.sqlclient.Tuple.of(jobId, worker));
        } catch (RuntimeException ignored) {
            // The lease will expire instead.
        }
        LOG.infof("Job %s interrupted by shutdown; it will resume at the next start", jobId);
    }

    /** A document whose chunks are in its index, not yet committed; the committer finishes it. */
    private record Pending(Work work, ParsedDocument parsed, List<Chunker.Chunk> chunks, List<Locator> locators,
            List<List<ParsedDocument.Span>> chunkSpans, VectorIndex index, List<IndexedChunk> last, long started) {
    }

    /**
     * The committer: takes every document handed over so far, adds their last chunks to their index in one upsert,
     * commits each index once (durable), then marks each document ready. Runs until shutdown, and then until the documents already handed over are done.
     */
    private void commitLoop() {
        List<Pending> batch = new ArrayList<>();
        while (running || !pending.isEmpty()) {
            try {
                Pending first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                pending.drainTo(batch);
                commitAndFinish(batch);
            } catch (InterruptedException e) {
                if (!running) {
                    // Stop was asked for; what is left resumes at the next start (the jobs are still ours).
                    return;
                }
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                // The committer must outlive any one batch: if it died, workers would block on the full queue.
                LOG.errorf(e, "Ingestion committer failed");
                for (Pending p : batch) {
                    fail(p.work(), "internal error while committing the file: " + e);
                }
            } finally {
                batch.clear();
            }
        }
    }

    private void commitAndFinish(List<Pending> batch) {
        Map<VectorIndex, List<Pending>> byIndex = new java.util.IdentityHashMap<>();
        for (Pending p : batch) {
            byIndex.computeIfAbsent(p.index(), i -> new ArrayList<>()).add(p);
        }
        for (Map.Entry<VectorIndex, List<Pending>> group : byIndex.entrySet()) {
            List<Pending> added = upsertLast(group.getKey(), group.getValue());
            if (added.isEmpty()) {
                continue;
            }
            try {
                // Durable before the documents are marked ready: after a crash a ready document has all its chunks.
                group.getKey().commit();
            } catch (RuntimeException e) {
                for (Pending p : added) {
                    LOG.errorf(e, "Committing the index for %s failed", p.work().document().filename);
                    fail(p.work(), "internal error while ingesting the file: " + e);
                }
                continue;
            }
            for (Pending p : added) {
                finishCommitted(p);
            }
        }
    }

    /**
     * Adds the last chunks of every document to the index in one upsert; when that fails (a chunk the index
     * refuses rejects the whole upsert), document by document, so only the documents at fault fail. Returns the
     * documents whose chunks are all in the index.
     */
    private List<Pending> upsertLast(VectorIndex index, List<Pending> group) {
        List<IndexedChunk> all = new ArrayList<>();
        group.forEach(p -> all.addAll(p.last()));
        try {
            index.upsert(all);
            return group;
        } catch (RuntimeException e) {
            if (group.size() == 1) {
                failUnindexed(group.getFirst(), e);
                return List.of();
            }
        }
        List<Pending> added = new ArrayList<>();
        for (Pending p : group) {
            try {
                index.upsert(p.last());
                added.add(p);
            } catch (RuntimeException e) {
                failUnindexed(p, e);
            }
        }
        return added;
    }

    private void failUnindexed(Pending p, RuntimeException e) {
        LOG.errorf(e, "Ingesting %s failed", p.work().document().filename);
        fail(p.work(), "internal error while ingesting the file: " + e);
    }

    private void finishCommitted(Pending p) {
        DocumentEntity doc = p.work().document();
        try {
            boolean kept = finish(p.work(), p.parsed(), p.chunks(), p.locators(), p.chunkSpans());
            if (!kept) {
                // The document was deleted while it was being ingested: take its chunks back out.
                p.index().deleteDocument(doc.id.toString());
                p.index().commit();
                return;
            }
            chunksIndexed.increment(p.chunks().size());
            documentsIngested.increment();
            long ms = (System.nanoTime() - p.started()) / 1_000_000;
            ingestDuration.record(ms, TimeUnit.MILLISECONDS);
            LOG.infof("Ingested %s: %d page(s), %d chunks in %d ms%s", doc.filename, p.parsed().pages().size(),
                    p.chunks().size(), ms, p.parsed().note() == null ? "" : " (" + p.parsed().note() + ")");
        } catch (RuntimeException e) {
            LOG.errorf(e, "Ingesting %s failed", doc.filename);
            fail(p.work(), "internal error while ingesting the file: " + e);
        }
    }

    /**
     * Chunks every page: transcripts into time windows, other pages at sentence boundaries. Each chunk gets its
     * locator (page, characters, and the box of its OCR words or the time of its spoken words) and its spans.
     */
    private void chunk(ParsedDocument parsed, List<Chunker.Chunk> chunks, List<Locator> locators,
            List<List<ParsedDocument.Span>> chunkSpans) {
        for (ParsedDocument.Page page : parsed.pages()) {
            if (parsed.kind() == ParsedDocument.Kind.AUDIO) {
                for (TranscriptChunker.Window w : transcriptChunker.windows(page.spans())) {
                    String text = page.text().substring(w.charStart(), w.charEnd());
                    chunks.add(new Chunker.Chunk(page.number(), w.charStart(), w.charEnd(), text,
                            Math.max(1, embedder.countTokens(text))));
                    locators.add(new Locator(null, w.charStart(), w.charEnd(), null, w.startMs(), w.endMs()));
                    chunkSpans.add(Spans.slice(page.spans(), w.charStart(), w.charEnd()));
                }
                // Text after the last timed word (the recording's tags) is chunked as text, without a time.
                int tail = page.spans().stream().mapToInt(ParsedDocument.Span::charEnd).max().orElse(0);
                if (!page.text().substring(tail).isBlank()) {
                    for (Chunker.Chunk c : chunker.chunk(page.number(), page.text().substring(tail))) {
                        chunks.add(new Chunker.Chunk(c.page(), c.charStart() + tail, c.charEnd() + tail, c.text(), c.tokens()));
                        locators.add(new Locator(null, c.charStart() + tail, c.charEnd() + tail));
                        chunkSpans.add(List.of());
                    }
                }
                continue;
            }
            for (Chunker.Chunk c : chunker.chunk(page.number(), page.text())) {
                chunks.add(c);
                Locator locator = locator(parsed, c);
                if (page.image()) {
                    dev.omnirag.index.BoundingBox box = MediaProcessor.boxOf(page.spans(), c.charStart(), c.charEnd());
                    locator = locator.withBbox(box == null ? dev.omnirag.index.BoundingBox.PAGE : box);
                }
                locators.add(locator);
                chunkSpans.add(Spans.slice(page.spans(), c.charStart(), c.charEnd()));
            }
        }
    }

    /**
     * Native vectors of picture pages (image frames, scanned pages), keyed by the index of the page's first chunk,
     * which carries it: the native list then ranks pages, and the text path picks the best chunk.
     */
    private Map<Integer, float[]> nativeVectors(ParsedDocument parsed, List<Chunker.Chunk> chunks, Path file,
            String mediaType, Embedder nativeEmbedder, UUID jobId) {
        Map<Integer, float[]> out = new java.util.HashMap<>();
        if (nativeEmbedder == null) {
            return out;
        }
        Map<Integer, Integer> firstChunk = new java.util.HashMap<>();
        for (int i = 0; i < chunks.size(); i++) {
            firstChunk.putIfAbsent(chunks.get(i).page(), i);
        }
        for (ParsedDocument.Page page : parsed.pages()) {
            Integer chunk = firstChunk.get(page.number());
            if (!page.image() || chunk == null) {
                continue;
            }
            progress(jobId, 0.09, "image vector of page " + page.number());
            out.put(chunk, nativeEmbedder.embedImage(media.pageImage(file, mediaType, page.number(), embedImageSize)));
        }
        return out;
    }

    private ParsedDocument parse(Path file, String mediaType, String filename) throws Exception {
        Future<ParsedDocument> future = parsers.submit(() -> parser.parse(file, mediaType, filename));
        try {
            return future.get(config.parseTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new IngestException.BadFile("parsing took longer than " + config.parseTimeout().toSeconds()
                    + " s (omnirag.ingest.parse-timeout); the file may be damaged or too complex");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw new IngestException.BadFile("cannot read the file: " + e.getCause());
        }
    }

    private static Locator locator(ParsedDocument parsed, Chunker.Chunk c) {
        return new Locator(parsed.paged() ? c.page() : null, c.charStart(), c.charEnd());
    }

    /** Deterministic chunk id: the same document, version and position always give the same id. */
    public static String chunkId(UUID documentId, int ordinal) {
        return documentId + ":v1:" + ordinal;
    }

    private void progress(UUID jobId, double progress, String message) {
        long now = System.nanoTime();
        Long last = lastProgress.get(jobId);
        if (last != null && now - last < TimeUnit.MILLISECONDS.toNanos(PROGRESS_INTERVAL_MS)) {
            return;
        }
        lastProgress.put(jobId, now);
        db.tx(() -> JobEntity.<JobEntity>findById(jobId).map(job -> {
            if (job != null && !job.isTerminal() && worker.equals(job.worker)) {
                job.leaseUntil = OffsetDateTime.now().plus(config.lease());
                job.progress = Math.min(0.99, Math.round(progress * 1000) / 1000.0);
                job.message = message;
                job.updatedAt = OffsetDateTime.now();
            }
            return job;
        }));
    }

    private boolean finish(Work work, ParsedDocument parsed, List<Chunker.Chunk> chunks, List<Locator> locators,
            List<List<ParsedDocument.Span>> chunkSpans) {
        UUID docId = work.document().id;
        List<ChunkEntity> rows = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            Chunker.Chunk c = chunks.get(i);
            ChunkEntity row = new ChunkEntity();
            row.id = chunkId(docId, i);
            row.documentId = docId;
            row.ordinal = i;
            row.page = parsed.paged() ? c.page() : null;
            row.charStart = c.charStart();
            row.charEnd = c.charEnd();
            row.tokenCount = c.tokens();
            Locator l = locators.get(i);
            if (l.bbox() != null) {
                row.bboxX = l.bbox().x();
                row.bboxY = l.bbox().y();
                row.bboxW = l.bbox().w();
                row.bboxH = l.bbox().h();
            }
            row.startMs = l.startMs();
            row.endMs = l.endMs();
            row.spans = Spans.toJson(chunkSpans.get(i));
            rows.add(row);
        }
        return db.tx(() -> JobEntity.<JobEntity>findById(work.job().id).flatMap(job -> {
            if (job == null) {
                // Jobs are deleted with their document: the document was deleted while it was being ingested, so
                // its chunks must come back out of the index (the caller does that on FALSE).
                return Uni.createFrom().item(Boolean.FALSE);
            }
            if (job.isTerminal() || !holds(job, work)) {
                // Our lease expired and another worker took the job over; it writes the result.
                LOG.warnf("Job %s is no longer held by %s; leaving its result to the new holder", work.job().id, worker);
                return Uni.createFrom().item(Boolean.TRUE);
            }
            return DocumentEntity.<DocumentEntity>findById(docId).flatMap(doc -> {
                if (doc == null) {
                    return Uni.createFrom().item(Boolean.FALSE);
                }
                return ChunkEntity.delete("documentId", docId)
                        .flatMap(deleted -> ChunkEntity.persist(rows))
                        .map(v -> {
                            OffsetDateTime now = OffsetDateTime.now();
                            doc.status = DocumentEntity.READY;
                            doc.error = null;
                            doc.chunkCount = rows.size();
                            doc.pageCount = parsed.paged() ? parsed.pages().size() : null;
                            doc.updatedAt = now;
                            job.status = JobEntity.SUCCEEDED;
                            job.progress = 1.0;
                            job.message = "indexed " + rows.size() + " chunks"
                                    + (parsed.note() == null ? "" : " (" + parsed.note() + ")");
                            job.finishedAt = now;
                            job.updatedAt = now;
                            job.leaseUntil = null;
                            return Boolean.TRUE;
                        });
            });
        }));
    }

    private void fail(Work work, String reason) {
        if (!running) {
            // During a stop, index writers are interrupted or closed under running work: that is not the file's
            // fault. The job goes back to the queue (docs/operations.md: a stop loses nothing).
            LOG.infof("Ingestion of %s stopped by shutdown (%s)", work.document().filename, reason);
            requeueAfterShutdown(work.job().id);
            return;
        }
        documentsFailed.increment();
        LOG.warnf("Ingestion of %s failed: %s", work.document().filename, reason);
        markFailed(work.job().id, reason, work.job().attempts);
    }

    /**
     * Marks the job and its document failed; with {@code claimedAttempt}, only while
     * this claim (this instance and that attempt) still holds the job.
     * Whatever an earlier or interrupted run had put into the index for the document is removed, so a failed
     * document is never found by search.
     */
    private void markFailed(UUID jobId, String reason, Integer claimedAttempt) {
        CollectionEntity marked = db.tx(() -> JobEntity.<JobEntity>findById(jobId).flatMap(job -> {
            if (job == null || job.isTerminal() || (claimedAttempt != null
                    && !(worker.equals(job.worker) && job.attempts == claimedAttempt))) {
                // Gone, already finished (a late failure never undoes a success), or held by another worker.
                return Uni.createFrom().<CollectionEntity>nullItem();
            }
            return DocumentEntity.<DocumentEntity>findById(job.documentId).flatMap(doc -> {
                OffsetDateTime now = OffsetDateTime.now();
                job.leaseUntil = null;
                job.status = JobEntity.FAILED;
                job.error = reason;
                job.message = "failed";
                job.finishedAt = now;
                job.updatedAt = now;
                if (doc == null) {
                    return Uni.createFrom().<CollectionEntity>nullItem();
                }
                doc.status = DocumentEntity.FAILED;
                doc.error = reason;
                doc.updatedAt = now;
                return CollectionEntity.<CollectionEntity>findById(doc.collectionId);
            });
        }));
        if (marked == null) {
            return;
        }
        UUID documentId = db.read(() -> JobEntity.<JobEntity>findById(jobId).map(job -> job.documentId));
        try {
            VectorIndex index = indexes.get(marked);
            if (index.deleteDocument(documentId.toString()) > 0) {
                index.commit();
            }
        } catch (RuntimeException e) {
            // The next start-up's reconcile removes them (omnirag.ingest.reconcile-on-start).
            LOG.warnf("Could not remove the chunks of failed document %s from the index: %s", documentId, e.getMessage());
        }
    }

    /** User metadata as strings, for exact-match filters in the index. */
    static Map<String, String> metadataOf(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        if (json == null || json.isBlank()) {
            return out;
        }
        try {
            JSON.readTree(json).properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        } catch (Exception e) {
            LOG.warnf("ignoring unreadable document metadata: %s", e.getMessage());
        }
        return out;
    }
}
