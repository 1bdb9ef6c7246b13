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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
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
 */
@ApplicationScoped
public class IngestionService {

    private static final Logger LOG = Logger.getLogger(IngestionService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Db db;
    private final BlobStore blobs;
    private final DocumentParser parser;
    private final Chunker chunker;
    private final Embedder embedder;
    private final CollectionIndexes indexes;
    private final IngestConfig config;
    private final Counter documentsIngested;
    private final Counter documentsFailed;
    private final Counter chunksIndexed;
    private final Timer ingestDuration;
    private ExecutorService workers;
    private ExecutorService parsers;

    IngestionService(Db db, BlobStore blobs, DocumentParser parser, Chunker chunker, Embedder embedder,
            CollectionIndexes indexes, IngestConfig config, MeterRegistry registry) {
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
        AtomicInteger n = new AtomicInteger();
        workers = new ThreadPoolExecutor(config.workers(), config.workers(), 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "omnirag-ingest-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        parsers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "omnirag-parse");
            t.setDaemon(true);
            return t;
        });
        List<UUID> pending = db.tx(() -> JobEntity.<JobEntity>list("status in (?1, ?2) order by createdAt",
                        JobEntity.QUEUED, JobEntity.RUNNING)
                .map(jobs -> jobs.stream().map(j -> j.id).toList()));
        if (!pending.isEmpty()) {
            LOG.infof("Resuming %d ingestion job(s) left unfinished by an earlier run", pending.size());
            pending.forEach(this::submit);
        }
    }

    void stop(@Observes @Priority(1) ShutdownEvent event) {
        if (workers != null) {
            workers.shutdownNow();
            parsers.shutdownNow();
            try {
                workers.awaitTermination(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Queues the job to run on the worker pool. */
    public void submit(UUID jobId) {
        workers.execute(() -> run(jobId));
    }

    /** Jobs waiting for a worker (for logs and metrics). */
    public int queued() {
        return workers instanceof ThreadPoolExecutor pool ? pool.getQueue().size() : 0;
    }

    private record Work(JobEntity job, DocumentEntity document, CollectionEntity collection) {
    }

    void run(UUID jobId) {
        Work work = db.tx(() -> JobEntity.<JobEntity>findById(jobId).flatMap(job -> {
            if (job == null || job.isTerminal()) {
                return Uni.createFrom().nullItem();
            }
            return DocumentEntity.<DocumentEntity>findById(job.documentId).flatMap(doc -> {
                if (doc == null) {
                    return Uni.createFrom().nullItem();
                }
                return CollectionEntity.<CollectionEntity>findById(doc.collectionId).map(coll -> {
                    OffsetDateTime now = OffsetDateTime.now();
                    job.status = JobEntity.RUNNING;
                    job.startedAt = now;
                    job.updatedAt = now;
                    job.progress = 0.01;
                    job.message = "parsing";
                    job.error = null;
                    return coll == null ? null : new Work(job, doc, coll);
                });
            });
        }));
        if (work == null) {
            return;
        }
        long started = System.nanoTime();
        DocumentEntity doc = work.document();
        try {
            LOG.infof("Ingesting %s (%s, %d bytes) into collection %s", doc.filename, doc.mediaType, doc.sizeBytes,
                    work.collection().name);
            ParsedDocument parsed = parse(blobs.path(doc.sha256), doc.mediaType);
            List<Chunker.Chunk> chunks = new ArrayList<>();
            for (ParsedDocument.Page page : parsed.pages()) {
                chunks.addAll(chunker.chunk(page.number(), page.text()));
            }
            if (chunks.isEmpty()) {
                throw new IngestException.BadFile("the file has no text to index");
            }
            progress(jobId, 0.1, "parsed " + parsed.pages().size() + " page(s) into " + chunks.size() + " chunks");
            VectorIndex index = indexes.get(work.collection().id, work.collection().dimensions);
            index.deleteDocument(doc.id.toString());
            Map<String, String> metadata = metadataOf(doc.metadata);
            int batch = Math.max(1, config.embedBatch());
            for (int from = 0; from < chunks.size(); from += batch) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new IngestException("the server is shutting down; the job will resume at the next start", null);
                }
                List<Chunker.Chunk> part = chunks.subList(from, Math.min(chunks.size(), from + batch));
                List<float[]> vectors = embedder.embedDocuments(part.stream().map(Chunker.Chunk::text).toList());
                List<IndexedChunk> toIndex = new ArrayList<>(part.size());
                for (int i = 0; i < part.size(); i++) {
                    Chunker.Chunk c = part.get(i);
                    toIndex.add(new IndexedChunk(chunkId(doc.id, from + i), doc.id.toString(), doc.filename,
                            doc.mediaType, c.text(), vectors.get(i), locator(parsed, c), metadata));
                }
                index.upsert(toIndex);
                int done = Math.min(chunks.size(), from + batch);
                progress(jobId, 0.1 + 0.85 * done / chunks.size(), "embedded " + done + " of " + chunks.size() + " chunks");
            }
            index.commit();
            boolean kept = finish(work, parsed, chunks);
            if (!kept) {
                // The document was deleted while it was being ingested: take its chunks back out.
                index.deleteDocument(doc.id.toString());
                index.commit();
                return;
            }
            chunksIndexed.increment(chunks.size());
            documentsIngested.increment();
            long ms = (System.nanoTime() - started) / 1_000_000;
            ingestDuration.record(ms, TimeUnit.MILLISECONDS);
            LOG.infof("Ingested %s: %d page(s), %d chunks in %d ms", doc.filename, parsed.pages().size(), chunks.size(), ms);
        } catch (IngestException e) {
            if (Thread.currentThread().isInterrupted() && !(e instanceof IngestException.BadFile)) {
                LOG.infof("Job %s interrupted by shutdown; it will resume at the next start", jobId);
                return;
            }
            fail(work, e.getMessage());
        } catch (Exception e) {
            LOG.errorf(e, "Ingesting %s failed", doc.filename);
            fail(work, "internal error while ingesting the file: " + e);
        }
    }

    private ParsedDocument parse(Path file, String mediaType) throws Exception {
        Future<ParsedDocument> future = parsers.submit(() -> parser.parse(file, mediaType));
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
        db.tx(() -> JobEntity.<JobEntity>findById(jobId).map(job -> {
            if (job != null && !job.isTerminal()) {
                job.progress = Math.min(0.99, Math.round(progress * 1000) / 1000.0);
                job.message = message;
                job.updatedAt = OffsetDateTime.now();
            }
            return job;
        }));
    }

    private boolean finish(Work work, ParsedDocument parsed, List<Chunker.Chunk> chunks) {
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
            rows.add(row);
        }
        return db.tx(() -> DocumentEntity.<DocumentEntity>findById(docId).flatMap(doc -> {
            if (doc == null) {
                return Uni.createFrom().item(false);
            }
            return ChunkEntity.delete("documentId", docId)
                    .flatMap(deleted -> ChunkEntity.persist(rows))
                    .flatMap(v -> JobEntity.<JobEntity>findById(work.job().id))
                    .map(job -> {
                        OffsetDateTime now = OffsetDateTime.now();
                        doc.status = DocumentEntity.READY;
                        doc.error = null;
                        doc.chunkCount = rows.size();
                        doc.pageCount = parsed.paged() ? parsed.pages().size() : null;
                        doc.updatedAt = now;
                        if (job != null) {
                            job.status = JobEntity.SUCCEEDED;
                            job.progress = 1.0;
                            job.message = "indexed " + rows.size() + " chunks";
                            job.finishedAt = now;
                            job.updatedAt = now;
                        }
                        return true;
                    });
        }));
    }

    private void fail(Work work, String reason) {
        documentsFailed.increment();
        LOG.warnf("Ingestion of %s failed: %s", work.document().filename, reason);
        db.tx(() -> JobEntity.<JobEntity>findById(work.job().id)
                .flatMap(job -> DocumentEntity.<DocumentEntity>findById(work.document().id).map(doc -> {
                    OffsetDateTime now = OffsetDateTime.now();
                    if (job != null) {
                        job.status = JobEntity.FAILED;
                        job.error = reason;
                        job.message = "failed";
                        job.finishedAt = now;
                        job.updatedAt = now;
                    }
                    if (doc != null) {
                        doc.status = DocumentEntity.FAILED;
                        doc.error = reason;
                        doc.updatedAt = now;
                    }
                    return job;
                })));
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
