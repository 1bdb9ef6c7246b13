package dev.omnirag.server.search;

import dev.omnirag.embeddings.Embedder;
import dev.omnirag.index.VectorIndex;
import dev.omnirag.server.config.GeneratorConfig;
import dev.omnirag.server.ingest.IngestionWorkers;
import dev.omnirag.server.ingest.JobQueue;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Makes the stored sentence vectors ({@link SentenceVectors}) of every chunk, in the background, only while the server
 * is idle: no ingestion job queued or running (ingestion needs the embedder) and no request that does work (search, ask,
 * chat, embeddings, uploads: {@link dev.omnirag.server.api.RequestActivity}) begun for
 * {@code omnirag.generator.sentence-vectors-quiet}; one that begins stops it within {@link #SLICE} sentences.
 * It walks the chunks without vectors in id order, a batch at a time, and starts over once it reaches the end, so
 * chunks ingested later are found; after a pass that found nothing it looks again after {@link #RESCAN} or as soon as
 * ingestion ran. Progress: the {@code omnirag.sentence.vectors.backlog} gauge (chunks left) and log lines with counts.
 * One thread; when several replicas share the database each may embed a chunk the other is embedding (the row is
 * written twice, the same).
 */
@ApplicationScoped
public class SentenceBackfill {

    private static final Logger LOG = Logger.getLogger(SentenceBackfill.class);

    /** Chunks read per step. */
    static final int BATCH = 32;
    /** Sentences embedded between two looks at whether a search or ingestion began (about 25 ms of work). */
    static final int SLICE = 4;
    /**
     * How often a running walk asks the database whether jobs are queued (another instance's, or ones no local worker
     * has claimed yet); between two asks this instance's busy workers and its requests answer without a query (one
     * query per slice cost a tenth of the walk's time).
     */
    static final Duration QUEUE_CHECK = Duration.ofMillis(200);
    /** Between two looks at whether the server is idle. */
    static final Duration TICK = Duration.ofMillis(250);
    /** How often the backlog gauge is counted again. */
    static final Duration COUNT_EVERY = Duration.ofSeconds(5);
    /** After a pass that found nothing to do, when to look again (sooner when ingestion ran). */
    static final Duration RESCAN = Duration.ofMinutes(5);
    /** How often a running pass logs its progress. */
    static final Duration LOG_EVERY = Duration.ofSeconds(30);

    private final SentenceVectors vectors;
    private final JobQueue jobs;
    private final IngestionWorkers workers;
    private final dev.omnirag.server.api.RequestActivity activity;
    private final CollectionIndexes indexes;
    private final Embedder embedder;
    private final GeneratorConfig config;
    private final MeterRegistry registry;
    private final AtomicLong backlog = new AtomicLong(-1);

    private ScheduledExecutorService timer;
    // The background walk's state: touched by one step at a time (walk is synchronized).
    private String cursor = "";
    private long storedThisPass;
    private long passStarted;
    private long lastLog;
    private long lastCount;
    private long lastWarn = System.nanoTime() - LOG_EVERY.toNanos() - 1;
    private long quietSince = -1;
    private boolean ingestionRan = true;
    private long finishesSeen;

    SentenceBackfill(
            SentenceVectors vectors,
            JobQueue jobs,
            IngestionWorkers workers,
            dev.omnirag.server.api.RequestActivity activity,
            CollectionIndexes indexes,
            Embedder embedder,
            GeneratorConfig config,
            MeterRegistry registry) {
        this.vectors = vectors;
        this.jobs = jobs;
        this.workers = workers;
        this.activity = activity;
        this.indexes = indexes;
        this.embedder = embedder;
        this.config = config;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        if (!vectors.usable()) {
            LOG.debugf(
                    "Sentence vectors are not made ahead of time (omnirag.generator.sentence-vectors=%s, or the "
                            + "generator is not the extractive one, or its sentence cache is off)",
                    config.sentenceVectors());
            return;
        }
        // Only when they are made: a tool that waits for the backlog to reach 0 finds no gauge otherwise.
        Gauge.builder("omnirag.sentence.vectors.backlog", backlog, AtomicLong::get)
                .description(
                        "Chunks whose sentences are not embedded ahead of time yet (-1: not counted since the last "
                                + "ingestion)")
                .register(registry);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "omnirag-sentence-vectors");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void tick() {
        try {
            if (!quiet()) {
                return;
            }
            long finishes = jobs.finishes();
            if (finishes != finishesSeen) {
                // New chunks came, however short the ingestion was: the count is stale until the next one.
                finishesSeen = finishes;
                ingestionRan = true;
                backlog.set(-1);
            }
            if (!ingestionIdle()) {
                ingestionRan = true;
                backlog.set(-1); // more are coming (tools that wait for 0 keep waiting)
                return;
            }
            long now = System.nanoTime();
            if (quietSince >= 0 && !ingestionRan && now - quietSince < RESCAN.toNanos()) {
                return; // all done, and nothing ingested since
            }
            if (ingestionRan || now - lastCount > COUNT_EVERY.toNanos()) {
                backlog.set(vectors.backlog());
                lastCount = now;
            }
            quietSince = -1;
            ingestionRan = false;
            // Step after step until interrupted or the pass ends: waiting a tick between steps of BATCH chunks
            // left the embedder idle a fifth of the time.
            BooleanSupplier stop = interruption();
            Step done;
            do {
                done = walk(stop);
            } while (done.next() != null && !stop.getAsBoolean());
            if (done.next() == null && done.pass() == 0) {
                quietSince = System.nanoTime();
            }
        } catch (RuntimeException e) {
            long now = System.nanoTime();
            if (now - lastWarn > LOG_EVERY.toNanos()) {
                // At most one line per LOG_EVERY: a database that is down fails every tick.
                lastWarn = now;
                LOG.warnf("Could not make sentence vectors now; trying again later: %s", e.getMessage());
            }
        }
    }

    /**
     * No job queued or running on any instance; this instance's own busy workers answer without a query (four ticks
     * a second during an import, each a scan of the jobs' claimable index).
     */
    private boolean ingestionIdle() {
        return !workers.busy() && jobs.idle();
    }

    /**
     * Whether the walk should stop now: a request that does work began, this instance's workers took a job, or (asked
     * at most every {@link #QUEUE_CHECK}) a job is queued or running anywhere.
     */
    private BooleanSupplier interruption() {
        long[] asked = {System.nanoTime()}; // the tick has just asked
        return () -> {
            if (!quiet() || workers.busy()) {
                return true;
            }
            long now = System.nanoTime();
            if (now - asked[0] < QUEUE_CHECK.toNanos()) {
                return false;
            }
            asked[0] = now;
            return !jobs.idle();
        };
    }

    /** No request that does work began for {@code sentence-vectors-quiet}. */
    private boolean quiet() {
        return activity.sinceLastWork().compareTo(config.sentenceVectorsQuiet()) >= 0;
    }

    /**
     * Makes the sentence vectors of every chunk of the collection that has none, now, whatever else the server is
     * doing; returns how many chunks it stored. For tests and tools; the server itself makes them when idle.
     */
    public long backfill(UUID collection) {
        String after = "";
        long total = 0;
        while (true) {
            Step s = step(after, collection, () -> false);
            total += s.stored();
            if (s.next() == null) {
                return total;
            }
            after = s.next();
        }
    }

    /** One step of the background walk: from the cursor, over every collection; logs the pass's progress. */
    private synchronized Step walk(BooleanSupplier stop) {
        if (storedThisPass == 0 && cursor.isEmpty()) {
            passStarted = System.nanoTime();
            lastLog = passStarted;
        }
        Step s = step(cursor, null, stop);
        storedThisPass += s.stored();
        long now = System.nanoTime();
        if (s.next() == null) {
            if (storedThisPass > 0) {
                LOG.infof(
                        "Sentence vectors: made for %d chunk(s) in %d s; asks over them read them instead of embedding",
                        storedThisPass, (now - passStarted) / 1_000_000_000L);
            }
            backlog.set(vectors.backlog());
            Step ended = new Step(s.stored(), null, storedThisPass);
            cursor = "";
            storedThisPass = 0;
            return ended;
        }
        if (cursor.isEmpty() && s.stored() > 0 && storedThisPass == s.stored()) {
            LOG.infof(
                    "Sentence vectors: embedding the sentences of %d chunk(s) while the server is idle "
                            + "(omnirag.generator.sentence-vectors)",
                    backlog.get() + s.stored());
        } else if (now - lastLog > LOG_EVERY.toNanos()) {
            lastLog = now;
            LOG.infof("Sentence vectors: %d chunk(s) done in this pass, %d left", storedThisPass, backlog.get());
        }
        cursor = s.next();
        return s;
    }

    /**
     * What a step did: chunks stored; the cursor to go on from (null: it reached the end); chunks stored in the whole
     * pass (for the walk's last step of a pass).
     */
    record Step(int stored, String next, long pass) {}

    /**
     * Embeds and stores the sentences of the next chunks after {@code after} (of one collection, or of all when
     * null), stopping early (between slices of {@link #SLICE} sentences) when {@code stop} says so.
     */
    private Step step(String after, UUID collection, BooleanSupplier stop) {
        List<SentenceVectors.Pending> batch = vectors.pending(after, collection, BATCH);
        if (batch.isEmpty()) {
            return new Step(0, null, 0);
        }
        Map<String, String> texts = texts(batch);
        // Each chunk's row is written while the next chunk's sentences are embedded; the step ends when all are.
        List<CompletableFuture<Boolean>> writes = new ArrayList<>();
        String next = after;
        try {
            for (SentenceVectors.Pending p : batch) {
                String text = texts.get(p.chunkId());
                if (text != null) {
                    List<String> sentences = vectors.sentences(text);
                    List<float[]> made = new ArrayList<>(sentences.size());
                    for (int from = 0; from < sentences.size(); from += SLICE) {
                        if (stop.getAsBoolean()) {
                            return new Step(stored(writes), next, 0);
                        }
                        made.addAll(embedder.embedDocuments(
                                sentences.subList(from, Math.min(sentences.size(), from + SLICE))));
                    }
                    writes.add(vectors.store(p.chunkId(), sentences, made).whenComplete((written, failure) -> {
                        if (Boolean.TRUE.equals(written)) {
                            backlog.updateAndGet(b -> Math.max(0, b - 1));
                        }
                    }));
                }
                next = p.chunkId();
            }
            return new Step(stored(writes), next, 0);
        } catch (RuntimeException e) {
            try {
                stored(writes); // what was embedded is kept; then the tick reports the failure
            } catch (RuntimeException also) {
                e.addSuppressed(also);
            }
            throw e;
        }
    }

    /** Waits for a step's row writes; how many stored a row (a chunk deleted meanwhile stores none). */
    private static int stored(List<CompletableFuture<Boolean>> writes) {
        int stored = 0;
        RuntimeException failed = null;
        for (CompletableFuture<Boolean> w : writes) {
            try {
                if (w.get(SentenceVectors.WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    stored++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed = new IllegalStateException("interrupted while storing sentence vectors", e);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                failed = new IllegalStateException("could not store sentence vectors: " + e.getMessage(), e);
            }
        }
        if (failed != null) {
            throw failed;
        }
        return stored;
    }

    /** The texts of a batch's chunks, read from their collections' indexes (absent: no longer indexed). */
    private Map<String, String> texts(List<SentenceVectors.Pending> batch) {
        Map<UUID, List<SentenceVectors.Pending>> byCollection = new LinkedHashMap<>();
        batch.forEach(p -> byCollection
                .computeIfAbsent(p.collectionId(), c -> new ArrayList<>())
                .add(p));
        Map<String, String> texts = new java.util.HashMap<>();
        byCollection.forEach((collection, chunks) -> {
            SentenceVectors.Pending first = chunks.getFirst();
            VectorIndex index =
                    indexes.get(collection, first.dimensions(), first.nativeDimensions(), first.companionDimensions());
            texts.putAll(index.texts(
                    chunks.stream().map(SentenceVectors.Pending::chunkId).toList()));
        });
        return texts;
    }
}
