package dev.omnirag.server.ingest;

import dev.omnirag.embeddings.EmbeddingException;
import dev.omnirag.server.config.IngestConfig;
import dev.omnirag.server.db.CollectionEntity;
import dev.omnirag.server.db.Db;
import dev.omnirag.server.search.SpaceMismatchException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The ingestion threads and their lifecycle: {@code omnirag.ingest.workers} worker loops that claim jobs from the
 * {@link JobQueue} (up to {@code omnirag.ingest.claim-batch} at once), run them through the {@link IngestionPipeline}
 * and hand them to the {@link GroupCommitter}; a timer that renews the leases and restarts a worker loop that died.
 * Work never runs on the event loop.
 *
 * <p>Each worker is a two-stage pipeline: its loop claims, parses and chunks the next documents while its embedding
 * thread ({@code omnirag-embed-N}) embeds the group before, so that the embedder need not wait for parsing when
 * there are cores to spare (on 2 busy cores it measured neutral: docs/benchmarks.md). At most one group per worker is
 * embedding and one is being prepared.
 *
 * <p>At start-up the index is reconciled with the database ({@link IndexReconciler}) before any worker runs, and the
 * jobs this instance held when it stopped resume at once. Chunk ids are deterministic and a re-run first removes the
 * document's chunks, so running a job twice never duplicates anything.
 */
@ApplicationScoped
public class IngestionWorkers {

    private static final Logger LOG = Logger.getLogger(IngestionWorkers.class);
    /** How often stopped worker loops are looked for and restarted. */
    private static final Duration SUPERVISE = Duration.ofSeconds(5);

    private final JobQueue jobs;
    private final IngestionPipeline pipeline;
    private final GroupCommitter committer;
    private final IngestionFailures failures;
    private final IndexReconciler reconciler;
    private final IngestConfig config;
    private final Db db;
    private final Object wake = new Object();
    /** Worker loops running now (each decrements when it ends, however it ends). */
    private final AtomicInteger liveWorkers = new AtomicInteger();
    /** Worker loops with claimed jobs not yet handed to the committer (it puts a commit off only while some have). */
    private final AtomicInteger busyWorkers = new AtomicInteger();

    private ExecutorService workers;
    /** One embedding thread per worker: each worker has at most one group in it. */
    private ExecutorService embedding;

    private ExecutorService parsers;
    private ScheduledExecutorService timers;
    private volatile boolean running;

    IngestionWorkers(
            JobQueue jobs,
            IngestionPipeline pipeline,
            GroupCommitter committer,
            IngestionFailures failures,
            IndexReconciler reconciler,
            IngestConfig config,
            Db db) {
        this.jobs = jobs;
        this.pipeline = pipeline;
        this.committer = committer;
        this.failures = failures;
        this.reconciler = reconciler;
        this.config = config;
        this.db = db;
    }

    void start(@Observes StartupEvent event) {
        if (config.workers() < 0) {
            throw new IllegalArgumentException(
                    "omnirag.ingest.workers must be >= 0; omnirag.ingest.workers=" + config.workers());
        }
        if (config.claimBatch() < 1) {
            throw new IllegalArgumentException(
                    "omnirag.ingest.claim-batch must be >= 1; omnirag.ingest.claim-batch=" + config.claimBatch());
        }
        if (config.reconcileOnStart()) {
            // Before any worker runs, so what it re-queues is claimed like any other job.
            try {
                reconciler.reconcileAll();
            } catch (RuntimeException e) {
                LOG.errorf(e, "Index reconcile failed; the server starts without it (it runs again at the next start)");
            }
        }
        running = true;
        failures.stopping(false);
        AtomicInteger n = new AtomicInteger();
        workers = Executors.newFixedThreadPool(
                Math.max(1, config.workers()), r -> daemon(r, "omnirag-ingest-" + n.incrementAndGet()));
        AtomicInteger e = new AtomicInteger();
        embedding = Executors.newFixedThreadPool(
                Math.max(1, config.workers()), r -> daemon(r, "omnirag-embed-" + e.incrementAndGet()));
        parsers = Executors.newCachedThreadPool(r -> daemon(r, "omnirag-parse"));
        // Jobs this instance held when it stopped are ours: expire their leases so they resume now.
        long mine = jobs.resumeMine();
        long waiting = jobs.unfinished();
        LOG.infof(
                "Ingestion: %d worker(s) as '%s'; %d job(s) waiting or running%s",
                config.workers(),
                jobs.worker(),
                waiting,
                mine > 0 ? ", " + mine + " of them resumed from this instance's last run" : "");
        committer.start(() -> busyWorkers.get() > 0);
        for (int i = 0; i < config.workers(); i++) {
            workers.execute(this::workLoop);
        }
        timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "omnirag-lease"));
        long every = Math.max(1, config.lease().toMillis() / 3);
        timers.scheduleAtFixedRate(this::renewLeases, every, every, TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(
                this::restartStoppedWorkers, SUPERVISE.toMillis(), SUPERVISE.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes @Priority(1) ShutdownEvent event) {
        running = false;
        failures.stopping(true);
        if (workers != null) {
            timers.shutdownNow();
            workers.shutdownNow();
            embedding.shutdownNow();
            parsers.shutdownNow();
            try {
                workers.awaitTermination(20, TimeUnit.SECONDS);
                // An interrupted embedding hands its group's jobs back to the queue.
                embedding.awaitTermination(20, TimeUnit.SECONDS);
                // The committer finishes the documents already handed to it.
                committer.stop(TimeUnit.SECONDS.toMillis(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Whether a worker of this instance holds claimed jobs now (ingestion is using the embedder): background work
     * that waits for an idle queue need not ask the database while it does.
     */
    public boolean busy() {
        return busyWorkers.get() > 0;
    }

    /** Wakes an idle worker: a job was just queued. The job itself is found in the database. */
    public void submit() {
        synchronized (wake) {
            wake.notifyAll();
        }
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
        if (!committer.alive()) {
            problems.add("the ingestion committer thread stopped");
        }
        return problems;
    }

    private void renewLeases() {
        try {
            jobs.renewLeases();
        } catch (RuntimeException e) {
            LOG.warnf("Could not renew job leases: %s", e.getMessage());
        }
    }

    /** Starts a worker loop for each one that stopped while the service runs, so that ingestion goes on. */
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
                LOG.errorf(
                        "Ingestion worker %s stopped while the service runs; readiness is DOWN until it is "
                                + "restarted (within %d s)",
                        Thread.currentThread().getName(), SUPERVISE.toSeconds());
            }
        }
    }

    private void work() {
        Stage stage = new Stage();
        boolean busy = false;
        try {
            while (running && !Thread.currentThread().isInterrupted()) {
                List<JobQueue.Claim> claims;
                try {
                    // Claimed while the group before is still embedding: the next group is ready when it is done.
                    claims = jobs.claim(config.claimBatch());
                } catch (RuntimeException e) {
                    if (running) {
                        LOG.warnf("Ingestion worker could not claim a job: %s", e.getMessage());
                        waitForWork();
                    }
                    continue;
                }
                if (claims.isEmpty()) {
                    stage.awaitIdle();
                    if (busy) {
                        busy = false;
                        busyWorkers.decrementAndGet();
                    }
                    waitForWork();
                    continue;
                }
                if (!busy) {
                    busy = true;
                    busyWorkers.incrementAndGet();
                }
                run(claims, stage);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (busy) {
                busyWorkers.decrementAndGet();
            }
        }
    }

    private void waitForWork() {
        try {
            synchronized (wake) {
                wake.wait(config.pollInterval().toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs claimed jobs of one collection: prepares them one by one and, each time their chunks fill an embedding
     * call (or at the end), hands them to {@code stage}, which embeds them and hands them to the committer while
     * this thread prepares the next ones. A job that fails fails alone.
     */
    private void run(List<JobQueue.Claim> claims, Stage stage) {
        Set<JobQueue.Claim> open = new LinkedHashSet<>();
        for (JobQueue.Claim c : claims) {
            if (c.attempt() > config.maxAttempts()) {
                failures.giveUp(c.jobId(), c.attempt() - 1);
            } else {
                if (c.attempt() > 1) {
                    LOG.infof("Job %s resumed by %s (attempt %d)", c.jobId(), jobs.worker(), c.attempt());
                }
                open.add(c);
            }
        }
        if (open.isEmpty()) {
            return;
        }
        UUID collectionId = open.iterator().next().collectionId();
        CollectionEntity collection = db.read(() -> CollectionEntity.<CollectionEntity>findById(collectionId));
        if (collection == null) {
            return; // deleted meanwhile, with its documents and jobs
        }
        List<IngestionPipeline.Prepared> group = new ArrayList<>();
        int chunks = 0;
        try {
            for (JobQueue.Claim claim : List.copyOf(open)) {
                if (!running || Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("the server is shutting down");
                }
                IngestionPipeline.Work work = new IngestionPipeline.Work(claim, collection);
                IngestionPipeline.Prepared prepared = prepare(work);
                if (prepared == null) {
                    open.remove(claim);
                    continue;
                }
                group.add(prepared);
                chunks += prepared.plan().size();
                if (chunks >= config.embedBatch()) {
                    stage.submit(group, open);
                    group = new ArrayList<>();
                    chunks = 0;
                }
            }
            if (!group.isEmpty()) {
                stage.submit(group, open);
            }
        } catch (InterruptedException | RuntimeException | StackOverflowError | OutOfMemoryError e) {
            settle(open, collection, e, "ingesting");
        }
    }

    /**
     * The jobs still open when a run stops: back to the queue when the thread was interrupted (shutdown), failed with
     * the reason otherwise. Not one file's fault (that is caught per file): the jobs fail rather than the thread,
     * which would otherwise die and leave their leases renewed forever.
     */
    private void settle(Set<JobQueue.Claim> open, CollectionEntity collection, Throwable e, String doing) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            open.forEach(c -> {
                failures.requeue(c.jobId());
                pipeline.forget(c.jobId());
            });
            return;
        }
        String reason = IngestionFailures.internal(doing + " " + open.size() + " file(s)", e);
        open.forEach(c -> failures.fail(new IngestionPipeline.Work(c, collection), reason));
    }

    /**
     * A worker's embedding stage: one group at a time on the worker's embedding thread. The jobs of a group submitted
     * here are its own from then on: it finishes, fails or (on shutdown) re-queues them.
     */
    private final class Stage {
        private Future<?> inFlight;

        /**
         * Waits for the group before, then embeds {@code group} on the embedding thread; its jobs leave {@code open}.
         */
        void submit(List<IngestionPipeline.Prepared> group, Set<JobQueue.Claim> open) throws InterruptedException {
            awaitIdle();
            Set<JobQueue.Claim> mine = new LinkedHashSet<>();
            group.forEach(p -> mine.add(p.work().claim()));
            open.removeAll(mine);
            try {
                inFlight = embedding.submit(() -> embedAndHand(group, mine));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // Shutting down: the jobs go back to the queue.
                open.addAll(mine);
                throw new InterruptedException("the server is shutting down");
            }
        }

        /** Waits until the group in the embedding thread (if any) is done with. */
        void awaitIdle() throws InterruptedException {
            if (inFlight == null) {
                return;
            }
            try {
                inFlight.get();
            } catch (ExecutionException e) {
                // embedAndHand settles its own jobs; anything else is a bug worth a log line, not a dead worker.
                LOG.errorf(e.getCause(), "Ingestion embedding stage failed");
            } finally {
                inFlight = null;
            }
        }
    }

    private void embedAndHand(List<IngestionPipeline.Prepared> group, Set<JobQueue.Claim> open) {
        try {
            List<IngestionPipeline.Embedded> embedded = pipeline.embed(group, (work, reason) -> {
                failures.fail(work, reason);
                open.remove(work.claim());
                pipeline.forget(work.claim().jobId());
            });
            // The committer commits the index (durable) before it marks the documents ready.
            committer.hand(embedded);
            embedded.forEach(e -> open.remove(e.work().claim()));
        } catch (InterruptedException | RuntimeException | StackOverflowError | OutOfMemoryError e) {
            settle(open, group.getFirst().work().collection(), e, "embedding");
        }
    }

    /** Prepares one document; a failure fails its job and gives null. */
    private IngestionPipeline.Prepared prepare(IngestionPipeline.Work work) throws InterruptedException {
        String filename = work.claim().filename();
        try {
            return pipeline.prepare(work, parsers);
        } catch (InterruptedException e) {
            throw e;
        } catch (SpaceMismatchException e) {
            failed(work, e.getMessage());
        } catch (EmbeddingException e) {
            failed(work, "embedding failed: " + e.getMessage());
        } catch (IngestException e) {
            if (Thread.currentThread().isInterrupted() && !(e instanceof IngestException.BadFile)) {
                throw new InterruptedException("the server is shutting down");
            }
            failed(work, e.getMessage());
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            // An Error here (a file that exhausts the heap or the stack) fails the job, not the worker thread.
            failed(work, IngestionFailures.internal("ingesting the file " + filename, e));
        }
        return null;
    }

    private void failed(IngestionPipeline.Work work, String reason) {
        failures.fail(work, reason);
        pipeline.forget(work.claim().jobId());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
