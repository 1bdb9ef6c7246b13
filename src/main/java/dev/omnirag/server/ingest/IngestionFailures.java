package dev.omnirag.server.ingest;

import dev.omnirag.index.VectorIndex;
import dev.omnirag.server.config.IngestConfig;
import dev.omnirag.server.db.CollectionEntity;
import dev.omnirag.server.db.Db;
import dev.omnirag.server.search.CollectionIndexes;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * What happens when a job cannot finish: a failure marks the job and its document failed with a readable reason and
 * takes whatever an earlier or interrupted run put into the index back out (a failed document is never found by
 * search); a stop hands the job back to the queue instead, since a shutdown is not the file's fault. Thread-safe.
 */
@ApplicationScoped
public class IngestionFailures {

    private static final Logger LOG = Logger.getLogger(IngestionFailures.class);

    private final JobQueue jobs;
    private final CollectionIndexes indexes;
    private final Db db;
    private final IngestConfig config;
    private final IngestMetrics metrics;
    private volatile boolean stopping;

    IngestionFailures(JobQueue jobs, CollectionIndexes indexes, Db db, IngestConfig config, IngestMetrics metrics) {
        this.jobs = jobs;
        this.indexes = indexes;
        this.db = db;
        this.config = config;
        this.metrics = metrics;
    }

    /** From now on failures are taken for effects of the stop: their jobs go back to the queue. */
    void stopping(boolean stopping) {
        this.stopping = stopping;
    }

    /**
     * The reason a job shows for a failure that is the server's, not the file's: an error id to quote, with the
     * exception logged under it. The exception's text stays in the log (it may name internal classes or paths).
     */
    public static String internal(String doing, Throwable e) {
        String id = "err-"
                + Long.toHexString(
                        java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 16);
        LOG.errorf(e, "Internal error %s while %s", id, doing);
        return "internal error while " + doing + "; error id " + id + " (the server's log has the details)";
    }

    /** Fails the claimed job of {@code work} with {@code reason}, while its claim still holds it. */
    public void fail(IngestionPipeline.Work work, String reason) {
        JobQueue.Claim claim = work.claim();
        if (stopping) {
            // During a stop, index writers are interrupted or closed under running work: that is not the file's
            // fault. The job goes back to the queue (docs/operations.md: a stop loses nothing).
            LOG.infof("Ingestion of %s stopped by shutdown (%s)", claim.filename(), reason);
            requeue(claim.jobId());
            return;
        }
        metrics.failed();
        LOG.warnf("Ingestion of %s failed: %s", claim.filename(), reason);
        markFailed(claim.jobId(), reason, claim.attempt());
    }

    /** Fails a job that was interrupted more than {@code omnirag.ingest.max-attempts} times. */
    public void giveUp(UUID jobId, int interruptions) {
        String reason = "ingestion was interrupted " + interruptions + " times (the server stopped or crashed while "
                + "processing this file); giving up after omnirag.ingest.max-attempts=" + config.maxAttempts();
        LOG.warnf("Job %s: %s", jobId, reason);
        metrics.failed();
        markFailed(jobId, reason, null);
    }

    /** Hands a job back to the queue after a clean shutdown. */
    public void requeue(UUID jobId) {
        try {
            jobs.requeue(jobId);
        } catch (RuntimeException ignored) {
            // The lease will expire instead.
        }
        LOG.infof("Job %s interrupted by shutdown; it will resume at the next start", jobId);
    }

    private void markFailed(UUID jobId, String reason, Integer claimedAttempt) {
        var failed = jobs.fail(jobId, reason, claimedAttempt);
        if (failed.isEmpty()) {
            return;
        }
        UUID documentId = failed.get().documentId();
        try {
            CollectionEntity collection = db.read(() ->
                    CollectionEntity.<CollectionEntity>findById(failed.get().collectionId()));
            if (collection == null) {
                return;
            }
            VectorIndex index = indexes.get(collection);
            if (index.deleteDocument(documentId.toString()) > 0) {
                index.commit();
            }
        } catch (RuntimeException e) {
            // The next start-up's reconcile removes them (omnirag.ingest.reconcile-on-start).
            LOG.warnf(
                    "Could not remove the chunks of failed document %s from the index: %s", documentId, e.getMessage());
        }
    }
}
