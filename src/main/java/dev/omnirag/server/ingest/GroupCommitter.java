package dev.omnirag.server.ingest;

import dev.omnirag.index.IndexedChunk;
import dev.omnirag.index.VectorIndex;
import dev.omnirag.server.config.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Group commit: one thread that takes every document whose chunks are embedded, adds their last chunks to their
 * index in one deferred upsert ({@link VectorIndex#upsertDeferred}: searchable from the commit on, so the chunks of
 * a long document added while it was embedded and those of every document of the group make one segment), commits
 * each index once (durable and searchable), and only then marks those documents ready, all in one transaction
 * ({@link JobQueue#finish}).
 *
 * <p>Crash safety: a document is marked ready only after a commit that began after all its chunks were added, so
 * after a crash a ready document has all its chunks (docs/operations.md, {@code CrashRecoveryIT}). The commit's
 * fsyncs and the final transaction overlap with embedding the next documents instead of running between them.
 *
 * <p>While documents keep coming, commits are at least {@code omnirag.ingest.commit-interval} apart: a bulk import
 * makes fewer, larger segments (each commit flushes one, refreshes the searcher, syncs, and later merges cost in
 * proportion to their number), and a document after a quiet spell is committed at once.
 */
@ApplicationScoped
public class GroupCommitter {

    private static final Logger LOG = Logger.getLogger(GroupCommitter.class);
    /** Most documents waiting for a commit; a worker that would exceed it waits. */
    private static final int PENDING_LIMIT = 256;
    /** How often a commit put off looks again whether more documents are on their way. */
    private static final long GATHER_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final JobQueue jobs;
    private final IngestionFailures failures;
    private final IngestionPipeline pipeline;
    private final IngestMetrics metrics;
    private final long intervalNanos;
    private final BlockingQueue<IngestionPipeline.Embedded> pending = new ArrayBlockingQueue<>(PENDING_LIMIT);
    private volatile boolean running;
    /** Whether more documents are on their way (a worker has claimed jobs): only then is a commit put off. */
    private volatile BooleanSupplier moreComing = () -> false;

    private Thread thread;

    GroupCommitter(
            JobQueue jobs,
            IngestionFailures failures,
            IngestionPipeline pipeline,
            IngestMetrics metrics,
            IngestConfig config) {
        if (config.commitInterval().isNegative()) {
            throw new IllegalArgumentException("omnirag.ingest.commit-interval must be >= 0; omnirag.ingest"
                    + ".commit-interval=" + config.commitInterval());
        }
        this.intervalNanos = config.commitInterval().toNanos();
        this.jobs = jobs;
        this.failures = failures;
        this.pipeline = pipeline;
        this.metrics = metrics;
    }

    /** Hands documents over for commit; waits while {@value #PENDING_LIMIT} are already waiting. */
    public void hand(List<IngestionPipeline.Embedded> documents) throws InterruptedException {
        for (IngestionPipeline.Embedded e : documents) {
            pending.put(e);
        }
    }

    /**
     * Starts the committer thread; {@code moreComing} tells whether workers are still preparing or embedding
     * documents, so that a commit is put off (up to the interval) only while more are on their way.
     */
    synchronized void start(BooleanSupplier moreComing) {
        this.moreComing = moreComing;
        running = true;
        thread = new Thread(this::loop, "omnirag-commit");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops after the documents already handed over are done, waiting at most {@code millis}. */
    void stop(long millis) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(millis);
        }
    }

    /** Whether the committer thread runs (readiness is DOWN when it stopped while the service runs). */
    boolean alive() {
        return thread != null && thread.isAlive();
    }

    private void loop() {
        List<IngestionPipeline.Embedded> batch = new ArrayList<>();
        long lastCommit = System.nanoTime() - intervalNanos;
        while (running || !pending.isEmpty()) {
            try {
                IngestionPipeline.Embedded first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                // Documents keep coming: gather them until the interval since the last commit is over, the workers
                // have nothing more on the way (the last of an import is not kept waiting), or the queue is full
                // (which would hold the workers up).
                long wait;
                while (running
                        && (wait = lastCommit + intervalNanos - System.nanoTime()) > 0
                        && batch.size() + pending.size() < PENDING_LIMIT
                        && (!pending.isEmpty() || moreComing.getAsBoolean())) {
                    IngestionPipeline.Embedded next =
                            pending.poll(Math.min(wait, GATHER_SLICE_NANOS), TimeUnit.NANOSECONDS);
                    if (next != null) {
                        batch.add(next);
                    }
                }
                pending.drainTo(batch);
                commitAndFinish(batch);
                lastCommit = System.nanoTime();
            } catch (InterruptedException e) {
                if (!running) {
                    // Stop was asked for; what is left resumes at the next start (the jobs are still ours).
                    return;
                }
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                // The committer must outlive any one batch: if it died, workers would block on the full queue.
                String reason = IngestionFailures.internal("committing " + batch.size() + " file(s)", e);
                for (IngestionPipeline.Embedded p : batch) {
                    failures.fail(p.work(), reason);
                }
            } finally {
                batch.forEach(p -> pipeline.forget(p.work().claim().jobId()));
                batch.clear();
            }
        }
    }

    private void commitAndFinish(List<IngestionPipeline.Embedded> batch) {
        Map<VectorIndex, List<IngestionPipeline.Embedded>> byIndex = new IdentityHashMap<>();
        for (IngestionPipeline.Embedded p : batch) {
            byIndex.computeIfAbsent(p.prepared().index(), i -> new ArrayList<>())
                    .add(p);
        }
        for (Map.Entry<VectorIndex, List<IngestionPipeline.Embedded>> group : byIndex.entrySet()) {
            VectorIndex index = group.getKey();
            List<IngestionPipeline.Embedded> added = upsertLast(index, group.getValue());
            if (added.isEmpty()) {
                continue;
            }
            try {
                // Durable before the documents are marked ready: after a crash a ready document has all its chunks.
                index.commit();
            } catch (RuntimeException e) {
                String reason = IngestionFailures.internal("committing the index for " + added.size() + " file(s)", e);
                for (IngestionPipeline.Embedded p : added) {
                    failures.fail(p.work(), reason);
                }
                continue;
            }
            finish(index, added);
        }
    }

    /**
     * Adds the last chunks of every document in one upsert; when that fails (a chunk the index refuses rejects the
     * whole upsert), document by document, so only the documents at fault fail. Returns the documents whose chunks
     * are all in the index.
     */
    private List<IngestionPipeline.Embedded> upsertLast(VectorIndex index, List<IngestionPipeline.Embedded> group) {
        List<IndexedChunk> all = new ArrayList<>();
        group.forEach(p -> all.addAll(p.last()));
        try {
            index.upsertDeferred(all);
            return group;
        } catch (RuntimeException e) {
            if (group.size() == 1) {
                failUnindexed(group.getFirst(), e);
                return List.of();
            }
        }
        List<IngestionPipeline.Embedded> added = new ArrayList<>();
        for (IngestionPipeline.Embedded p : group) {
            try {
                index.upsertDeferred(p.last());
                added.add(p);
            } catch (RuntimeException e) {
                failUnindexed(p, e);
            }
        }
        return added;
    }

    private void failUnindexed(IngestionPipeline.Embedded p, RuntimeException e) {
        failures.fail(
                p.work(),
                IngestionFailures.internal(
                        "indexing the file " + p.work().claim().filename(), e));
    }

    /** Marks the committed documents ready in one transaction; takes those deleted meanwhile back out of the index. */
    private void finish(VectorIndex index, List<IngestionPipeline.Embedded> committed) {
        List<JobQueue.Finished> finished = new ArrayList<>(committed.size());
        for (IngestionPipeline.Embedded p : committed) {
            ParsedDocument parsed = p.prepared().parsed();
            int chunks = p.prepared().plan().size();
            finished.add(new JobQueue.Finished(
                    p.work().claim(),
                    IngestionPipeline.chunkRows(p.prepared()),
                    parsed.paged() ? parsed.pages().size() : null,
                    "indexed " + chunks + " chunks" + (parsed.note() == null ? "" : " (" + parsed.note() + ")")));
        }
        List<JobQueue.Outcome> outcomes;
        try {
            outcomes = jobs.finish(finished);
        } catch (RuntimeException e) {
            String reason = IngestionFailures.internal("marking " + committed.size() + " document(s) ready", e);
            committed.forEach(p -> failures.fail(p.work(), reason));
            return;
        }
        boolean removed = false;
        // One line per document when documents come one at a time; a bulk import's commit logs one line for all of
        // them (thousands of lines would bury everything else), each document's at DEBUG.
        boolean each = committed.size() == 1 || LOG.isDebugEnabled();
        int ready = 0;
        int pages = 0;
        int chunkSum = 0;
        long slowest = 0;
        String slowestName = null;
        for (int i = 0; i < committed.size(); i++) {
            IngestionPipeline.Embedded p = committed.get(i);
            JobQueue.Claim doc = p.work().claim();
            switch (outcomes.get(i)) {
                case READY -> {
                    int chunks = p.prepared().plan().size();
                    long ms = (System.nanoTime() - p.prepared().startedNanos()) / 1_000_000;
                    metrics.ingested(chunks, ms);
                    ParsedDocument parsed = p.prepared().parsed();
                    ready++;
                    pages += parsed.pages().size();
                    chunkSum += chunks;
                    if (slowestName == null || ms > slowest) {
                        slowest = ms;
                        slowestName = doc.filename();
                    }
                    if (each) {
                        LOG.logf(
                                committed.size() == 1 ? Logger.Level.INFO : Logger.Level.DEBUG,
                                "Ingested %s: %d page(s), %d chunks in %d ms%s",
                                doc.filename(),
                                parsed.pages().size(),
                                chunks,
                                ms,
                                parsed.note() == null ? "" : " (" + parsed.note() + ")");
                    } else if (parsed.note() != null) {
                        LOG.infof("Ingested %s: %s", doc.filename(), parsed.note());
                    }
                }
                case DELETED -> {
                    // The document was deleted while it was being ingested: its chunks come back out.
                    index.deleteDocument(doc.documentId().toString());
                    removed = true;
                }
                case TAKEN_OVER -> {
                    // The claim that took the job over writes its result.
                }
            }
        }
        if (committed.size() > 1 && ready > 0) {
            LOG.infof(
                    "Ingested %d documents in one commit: %d page(s), %d chunks; the slowest, %s, in %d ms",
                    ready, pages, chunkSum, slowestName, slowest);
        }
        if (removed) {
            index.commit();
        }
    }
}
