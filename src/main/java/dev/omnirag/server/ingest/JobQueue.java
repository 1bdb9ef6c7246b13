package dev.omnirag.server.ingest;

import dev.omnirag.server.config.IngestConfig;
import dev.omnirag.server.config.OmniragConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The durable job queue: the only code that writes job rows, and with them the document's status, which follows its
 * job's (queued → processing, succeeded → ready, failed → failed). Every transition is one SQL transaction.
 *
 * <p>A job is claimed with a lease ({@code omnirag.ingest.lease}) held by this instance ({@link #worker()}) and its
 * attempt number, the claim's token: only the claim that raised it may finish or fail the job, so a worker whose
 * lease expired and whose job another worker took over writes nothing. {@code FOR UPDATE SKIP LOCKED} lets workers
 * and replicas claim at once without waiting on or taking the same row.
 *
 * <p>Blocking (it waits for the database); thread-safe; never call it on the event loop.
 *
 * <p>Over 400 lines because every job-state transition is here, on purpose: one place writes job rows.
 */
@ApplicationScoped
public class JobQueue {

    private static final Logger LOG = Logger.getLogger(JobQueue.class);
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** A claimed job and what the worker needs of its document. */
    public record Claim(
            UUID jobId,
            int attempt,
            UUID collectionId,
            UUID documentId,
            String filename,
            String mediaType,
            long sizeBytes,
            String sha256,
            String metadata) {}

    /** A document to queue: its bytes are already in the blob store. */
    public record NewDocument(String filename, String mediaType, long sizeBytes, String sha256, String metadata) {}

    /** What queueing a document did: a new job, or the existing document with the same bytes ({@code duplicate}). */
    public record Enqueued(UUID documentId, UUID jobId, String status, boolean duplicate) {}

    /** One chunk's row: where it lies in its document (its text and vectors are in the index). */
    public record ChunkRow(
            String id,
            int ordinal,
            Integer page,
            Integer charStart,
            Integer charEnd,
            int tokenCount,
            Double bboxX,
            Double bboxY,
            Double bboxW,
            Double bboxH,
            Long startMs,
            Long endMs,
            String spans) {}

    /** A job whose chunks are committed to the index: its rows, for {@link #finish}. */
    public record Finished(Claim claim, List<ChunkRow> chunks, Integer pageCount, String message) {}

    /** What {@link #finish} did with one job. */
    public enum Outcome {
        /** The document is ready. */
        READY,
        /** The document was deleted while it was ingested: its chunks must come back out of the index. */
        DELETED,
        /** Another claim holds the job now (this one's lease expired): that claim writes the result. */
        TAKEN_OVER
    }

    /** The document of a job that was just marked failed: its chunks must leave the index. */
    public record FailedDocument(UUID documentId, UUID collectionId) {}

    /** A new document's row; nothing when the collection got the same bytes meanwhile (then no id returns). */
    private static final String INSERT_DOCUMENT = "INSERT INTO documents (id, collection_id, filename, media_type, "
            + "size_bytes, sha256, metadata, status, created_at, updated_at) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, 'processing', now(), now()) "
            + "ON CONFLICT ON CONSTRAINT documents_same_bytes_once DO NOTHING RETURNING id";
    /** A failed document queued again, under the name, type and metadata of its new upload. */
    private static final String REVIVE_DOCUMENT = "UPDATE documents SET filename = $2, media_type = $3, "
            + "size_bytes = $4, metadata = $5, status = 'processing', error = NULL, updated_at = now() WHERE id = $1";
    /** A queued job; clock_timestamp() keeps the jobs of one transaction in the order they were queued. */
    private static final String INSERT_JOB = "INSERT INTO jobs (id, document_id, collection_id, status, progress, "
            + "message, created_at, updated_at, import_id) "
            + "VALUES ($1, $2, $3, 'queued', 0, 'queued', clock_timestamp(), now(), $4)";

    /**
     * The first claimable job (the one a claim takes first): the oldest queued job, or a running one whose lease
     * expired, whichever comes first by collection then age; with {@code after}, of the collections after {@code $4}.
     * Each kind is looked up through its own index (queued jobs in claim order, running ones by lease): one index of
     * both, in age order, made every claim read past the jobs in flight and the stale entries of finished ones (3 to
     * 10 ms a claim halfway through a 3,000-file import, 850 index entries read each). The row of the kind not taken
     * stays locked only for the claim's own statement.
     */
    private static String pick(boolean after) {
        String collection = after ? "AND collection_id > $4 " : "";
        return "WITH queued AS (SELECT id, collection_id, status, document_id, created_at FROM jobs "
                + "WHERE status = 'queued' " + collection
                + "ORDER BY collection_id, created_at, id FOR UPDATE SKIP LOCKED LIMIT 1), "
                + "expired AS (SELECT id, collection_id, status, document_id, created_at FROM jobs "
                + "WHERE status = 'running' AND lease_until < now() " + collection
                + "ORDER BY lease_until FOR UPDATE SKIP LOCKED LIMIT 1), "
                + "pick AS (SELECT id, collection_id, status, document_id FROM "
                + "(SELECT * FROM queued UNION ALL SELECT * FROM expired) c ORDER BY collection_id, created_at "
                + "LIMIT 1), ";
    }

    /**
     * When the first job is a fresh one, further queued jobs of its collection while the files' bytes stay within
     * {@link #CLAIM_BYTES}: a job resumed after an interrupted run, or a large file, goes alone.
     */
    private static final String CLAIM_REST =
            "candidates AS (SELECT j.id, j.document_id, j.created_at FROM jobs j WHERE j.status = 'queued' "
                    + "AND j.collection_id = (SELECT collection_id FROM pick) AND (SELECT status FROM pick) = 'queued' "
                    + "AND j.id <> (SELECT id FROM pick) ORDER BY j.created_at, j.id LIMIT $3 FOR UPDATE SKIP LOCKED), "
                    + "more AS (SELECT id FROM (SELECT c.id, sum(d.size_bytes) OVER (ORDER BY c.created_at, c.id) AS running "
                    + "FROM candidates c JOIN documents d ON d.id = c.document_id) m "
                    + "WHERE running + (SELECT d.size_bytes FROM documents d, pick p WHERE d.id = p.document_id) <= "
                    + JobQueue.CLAIM_BYTES + ") "
                    + "UPDATE jobs j SET status = 'running', worker = $1, lease_until = now() + make_interval(secs => $2), "
                    + "attempts = j.attempts + 1, started_at = coalesce(j.started_at, now()), updated_at = now(), error = NULL, "
                    + "progress = greatest(j.progress, 0.01), "
                    + "message = CASE WHEN j.status = 'running' THEN 'resumed after an interrupted run' ELSE 'parsing' END "
                    + "FROM documents d WHERE d.id = j.document_id "
                    // One IN over a union, not two ORed: PostgreSQL then looks the few claimed ids up by key instead of
                    // scanning every job and hashing every document on each claim (quadratic over a large import).
                    + "AND j.id IN (SELECT id FROM pick UNION ALL SELECT id FROM more) "
                    + "RETURNING j.id, j.attempts, j.collection_id, j.document_id, j.created_at, d.filename, d.media_type, "
                    + "d.size_bytes, d.sha256, d.metadata";

    /** A claim from any collection. */
    private static final String CLAIM = pick(false) + CLAIM_REST;
    /** A claim from the collections after {@code $4} (collections take turns). */
    private static final String CLAIM_AFTER = pick(true) + CLAIM_REST;

    /**
     * Most bytes of files claimed together: about what fills one embedding call with text (16 chunks of ~1 KB). Small
     * files share a claim, where their per-file cost would dominate; larger ones are claimed alone, so another
     * collection's upload waits behind one large file, not behind a batch of them.
     */
    static final int CLAIM_BYTES = 16 * 1024;

    private final Pool pool;
    private final IngestConfig config;
    private final String worker;
    /** The collection this instance claimed from last: the next claim starts after it. */
    private final AtomicReference<UUID> lastCollection = new AtomicReference<>();

    private final java.util.concurrent.atomic.AtomicLong finishes = new java.util.concurrent.atomic.AtomicLong();

    JobQueue(
            Pool pool,
            IngestConfig config,
            OmniragConfig omnirag,
            @ConfigProperty(name = "quarkus.http.port") int httpPort) {
        this.pool = pool;
        this.config = config;
        this.worker = omnirag.instanceId().orElseGet(() -> hostName() + ":" + httpPort);
    }

    /** This instance's name in job leases. */
    public String worker() {
        return worker;
    }

    /**
     * Claims up to {@code max} jobs of one collection, oldest first: a queued job, or a running one whose lease
     * expired (alone). Collections take turns: the next collection (in id order) after the one claimed from last,
     * then from the first, so one writer's thousand uploads cannot starve another collection. Empty when nothing
     * is claimable.
     */
    public List<Claim> claim(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1; max=" + max);
        }
        UUID after = lastCollection.get();
        double leaseSeconds = config.lease().toMillis() / 1000.0;
        RowSet<Row> rows = after == null
                ? null
                : await(pool.preparedQuery(CLAIM_AFTER).execute(Tuple.of(worker, leaseSeconds, max - 1, after)));
        if (rows == null || rows.size() == 0) {
            rows = await(pool.preparedQuery(CLAIM).execute(Tuple.of(worker, leaseSeconds, max - 1)));
        }
        record Claimed(Claim claim, java.time.OffsetDateTime createdAt) {}
        List<Claimed> claimed = new ArrayList<>();
        for (Row row : rows) {
            claimed.add(new Claimed(
                    new Claim(
                            row.getUUID("id"),
                            row.getInteger("attempts"),
                            row.getUUID("collection_id"),
                            row.getUUID("document_id"),
                            row.getString("filename"),
                            row.getString("media_type"),
                            row.getLong("size_bytes"),
                            row.getString("sha256"),
                            row.getString("metadata")),
                    row.getOffsetDateTime("created_at")));
        }
        claimed.sort(java.util.Comparator.comparing(Claimed::createdAt)
                .thenComparing(c -> c.claim().jobId()));
        if (!claimed.isEmpty()) {
            lastCollection.set(claimed.getFirst().claim().collectionId());
        }
        return claimed.stream().map(Claimed::claim).toList();
    }

    /** Expires the leases this instance held when it stopped, so its jobs resume now; returns how many. */
    public long resumeMine() {
        return await(pool.preparedQuery("UPDATE jobs SET lease_until = now() WHERE worker = $1 AND status = 'running'")
                        .execute(Tuple.of(worker)))
                .rowCount();
    }

    /**
     * Groups of jobs this instance has finished since it started (a counter that only grows): background work that
     * follows ingestion (the sentence vectors) learns from it that new chunks came, however short the ingestion.
     */
    public long finishes() {
        return finishes.get();
    }

    /** Jobs queued or running, on every instance. */
    public long unfinished() {
        // One count per status: each reads its own partial index (V13), where an IN over both would read the table.
        return await(pool.query("SELECT (SELECT count(*) FROM jobs WHERE status = 'queued') "
                                + "+ (SELECT count(*) FROM jobs WHERE status = 'running')")
                        .execute())
                .iterator()
                .next()
                .getLong(0);
    }

    /** Whether no job is queued or running, on any instance: ingestion is not using the embedder. */
    public boolean idle() {
        return !await(pool.query("SELECT EXISTS (SELECT 1 FROM jobs WHERE status = 'queued') "
                                + "OR EXISTS (SELECT 1 FROM jobs WHERE status = 'running')")
                        .execute())
                .iterator()
                .next()
                .getBoolean(0);
    }

    /** Jobs waiting in the queue, counted up to {@code atMost} (so the query stays cheap however long the queue is). */
    public long queued(int atMost) {
        return await(pool.preparedQuery("SELECT count(*) FROM (SELECT 1 FROM jobs WHERE status = 'queued' LIMIT $1) q")
                        .execute(Tuple.of(atMost)))
                .iterator()
                .next()
                .getLong(0);
    }

    /** Renews the lease of every job this instance runs. */
    public void renewLeases() {
        await(pool.preparedQuery("UPDATE jobs SET lease_until = now() + make_interval(secs => $2) "
                        + "WHERE worker = $1 AND status = 'running'")
                .execute(Tuple.of(worker, config.lease().toMillis() / 1000.0)));
    }

    /** Records a running job's progress (0..0.99) and message, and renews its lease, while this claim holds it. */
    public void progress(Claim claim, double progress, String message) {
        await(pool.preparedQuery("UPDATE jobs SET progress = $4, message = $5, updated_at = now(), "
                        + "lease_until = now() + make_interval(secs => $6) "
                        + "WHERE id = $1 AND worker = $2 AND attempts = $3 AND status = 'running'")
                .execute(Tuple.from(List.of(
                        claim.jobId(),
                        worker,
                        claim.attempt(),
                        Math.min(0.99, Math.round(progress * 1000) / 1000.0),
                        message,
                        config.lease().toMillis() / 1000.0))));
    }

    /** Hands a job back to the queue after a clean shutdown: that is not a failed attempt. */
    public void requeue(UUID jobId) {
        await(pool.preparedQuery("UPDATE jobs SET status = 'queued', worker = NULL, lease_until = NULL, "
                        + "attempts = greatest(attempts - 1, 0), message = 'queued again after a shutdown' "
                        + "WHERE id = $1 AND worker = $2 AND status = 'running'")
                .execute(Tuple.of(jobId, worker)));
    }

    /**
     * Marks a ready document processing and queues a new job for it, in one statement (the index reconcile's repair of
     * a document whose chunks the index lacks); false when the document is no longer ready.
     */
    public boolean requeueReady(UUID documentId, String message) {
        return await(pool.preparedQuery(
                                        "WITH d AS (UPDATE documents SET status = 'processing', error = NULL, "
                                                + "updated_at = now() WHERE id = $1 AND status = 'ready' RETURNING id, collection_id) "
                                                + "INSERT INTO jobs (id, document_id, collection_id, status, progress, message, created_at, "
                                                + "updated_at, attempts) SELECT $2, id, collection_id, 'queued', 0, $3, now(), now(), 0 FROM d")
                                .execute(Tuple.of(documentId, UUID.randomUUID(), message)))
                        .rowCount()
                == 1;
    }

    /**
     * Queues documents whose bytes are stored, in one transaction: for each, the document already in the collection
     * with the same bytes (unless it failed) is returned as a duplicate; otherwise the document (new, or the failed
     * one again, with this upload's name, type and metadata) gets a queued job. Identical bytes uploaded at the same
     * moment by another request give one document: the later one is its duplicate.
     */
    public List<Enqueued> enqueue(UUID collectionId, List<NewDocument> documents) {
        return enqueue(collectionId, documents, null, null);
    }

    /**
     * {@link #enqueue(UUID, List)} for the files of an import: their new jobs belong to {@code importId}, and
     * {@code alsoInTransaction} (the import's own progress) commits with them or not at all.
     */
    public List<Enqueued> enqueue(
            UUID collectionId,
            List<NewDocument> documents,
            UUID importId,
            java.util.function.BiFunction<SqlConnection, List<Enqueued>, Uni<?>> alsoInTransaction) {
        return await(pool.withTransaction(conn -> {
            Uni<List<Enqueued>> chain = enqueueAll(conn, collectionId, documents, importId);
            return alsoInTransaction == null
                    ? chain
                    : chain.flatMap(done -> alsoInTransaction.apply(conn, done).replaceWith(done));
        }));
    }

    /**
     * Queues {@code documents} in {@code conn}'s transaction, results in their order. New bytes and failed documents
     * queued again take a few statements for the whole list (one lookup, the updates, the inserts, the jobs in the
     * list's order) instead of three per file; duplicates (bytes the collection has, or met earlier in the list) and
     * rows lost to a concurrent identical upload take {@link #enqueueOne} afterwards, which sees the rows made here.
     */
    private Uni<List<Enqueued>> enqueueAll(
            SqlConnection conn, UUID collectionId, List<NewDocument> documents, UUID importId) {
        if (documents.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String[] hashes = documents.stream().map(NewDocument::sha256).distinct().toArray(String[]::new);
        return conn.preparedQuery("SELECT id, sha256, status FROM documents WHERE collection_id = $1 "
                        + "AND sha256 = ANY($2) FOR UPDATE")
                .execute(Tuple.of(collectionId, hashes))
                .flatMap(known -> {
                    Batch batch = Batch.plan(collectionId, documents, known);
                    Enqueued[] out = new Enqueued[documents.size()];
                    return batch.write(conn, collectionId, importId, out).flatMap(v -> {
                        Uni<Void> rest = Uni.createFrom().voidItem();
                        for (int i = 0; i < documents.size(); i++) {
                            if (out[i] == null) {
                                int at = i;
                                rest = rest.flatMap(x -> enqueueOne(conn, collectionId, documents.get(at), importId)
                                        .map(e -> {
                                            out[at] = e;
                                            return null;
                                        }));
                            }
                        }
                        return rest.map(x -> List.of(out));
                    });
                });
    }

    /**
     * The rows one batch writes at once: per file, the id of the document it inserts or queues again (null for a
     * duplicate, which {@link #enqueueOne} answers afterwards).
     */
    private record Batch(UUID[] ids, List<Integer> inserts, List<Tuple> insertRows, List<Tuple> reviveRows) {

        /** Plans the batch from the collection's documents with the same bytes ({@code known}, locked). */
        static Batch plan(UUID collectionId, List<NewDocument> documents, RowSet<Row> known) {
            Map<String, Row> byHash = new HashMap<>();
            known.forEach(r -> byHash.put(r.getString("sha256"), r));
            java.util.Set<String> planned = new java.util.HashSet<>();
            Batch b = new Batch(new UUID[documents.size()], new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (int i = 0; i < documents.size(); i++) {
                NewDocument d = documents.get(i);
                Row row = byHash.get(d.sha256());
                if (planned.contains(d.sha256()) || (row != null && !"failed".equals(row.getString("status")))) {
                    continue; // a duplicate
                }
                planned.add(d.sha256());
                if (row == null) {
                    b.ids[i] = UUID.randomUUID();
                    b.inserts.add(i);
                    b.insertRows.add(Tuple.from(java.util.Arrays.asList(
                            b.ids[i],
                            collectionId,
                            d.filename(),
                            d.mediaType(),
                            d.sizeBytes(),
                            d.sha256(),
                            d.metadata())));
                } else {
                    b.ids[i] = row.getUUID("id");
                    b.reviveRows.add(Tuple.of(b.ids[i], d.filename(), d.mediaType(), d.sizeBytes(), d.metadata()));
                }
            }
            return b;
        }

        /**
         * Queues the failed documents again, inserts the new ones, then one job per document that is now queued, in
         * the files' order; fills {@code out} for those files.
         */
        Uni<Void> write(SqlConnection conn, UUID collectionId, UUID importId, Enqueued[] out) {
            Uni<Void> revived = reviveRows.isEmpty()
                    ? Uni.createFrom().voidItem()
                    : conn.preparedQuery(REVIVE_DOCUMENT)
                            .executeBatch(reviveRows)
                            .replaceWithVoid();
            Uni<RowSet<Row>> inserted = insertRows.isEmpty()
                    ? Uni.createFrom().nullItem()
                    : conn.preparedQuery(INSERT_DOCUMENT).executeBatch(insertRows);
            return revived.flatMap(v -> inserted).flatMap(results -> {
                UUID[] queued = ids.clone();
                // One result per inserted row: empty when a concurrent identical upload won the row.
                RowSet<Row> result = results;
                for (int i : inserts) {
                    if (result.size() == 0) {
                        queued[i] = null;
                    }
                    result = result.next();
                }
                List<Tuple> jobRows = new ArrayList<>();
                for (int i = 0; i < queued.length; i++) {
                    if (queued[i] != null) {
                        UUID jobId = UUID.randomUUID();
                        jobRows.add(Tuple.of(jobId, queued[i], collectionId, importId));
                        out[i] = new Enqueued(queued[i], jobId, "processing", false);
                    }
                }
                return jobRows.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : conn.preparedQuery(INSERT_JOB).executeBatch(jobRows).replaceWithVoid();
            });
        }
    }

    /**
     * Fails the jobs of an import still waiting in the queue (and their documents) with {@code reason}; running ones
     * finish. Returns how many were failed.
     */
    public long failQueued(UUID importId, String reason) {
        return await(pool.withTransaction(conn -> conn.preparedQuery("UPDATE jobs SET status = 'failed', error = $2, "
                        + "message = 'failed', finished_at = now(), updated_at = now() WHERE import_id = $1 "
                        + "AND status = 'queued' RETURNING document_id")
                .execute(Tuple.of(importId, reason))
                .flatMap(jobs -> {
                    List<UUID> documents = new ArrayList<>();
                    jobs.forEach(r -> documents.add(r.getUUID("document_id")));
                    return conn.preparedQuery("UPDATE documents SET status = 'failed', error = $2, updated_at = now() "
                                    + "WHERE id = ANY($1)")
                            .execute(Tuple.of(documents.toArray(UUID[]::new), reason))
                            .map(v -> (long) documents.size());
                })));
    }

    private Uni<Enqueued> enqueueOne(SqlConnection conn, UUID collectionId, NewDocument d, UUID importId) {
        return conn.preparedQuery(
                        "SELECT id, status FROM documents WHERE collection_id = $1 AND sha256 = $2 FOR UPDATE")
                .execute(Tuple.of(collectionId, d.sha256()))
                .flatMap(existing -> {
                    Row row = existing.size() == 0 ? null : existing.iterator().next();
                    if (row != null && !"failed".equals(row.getString("status"))) {
                        return duplicate(conn, row.getUUID("id"), row.getString("status"));
                    }
                    if (row != null) {
                        UUID id = row.getUUID("id");
                        return conn.preparedQuery(REVIVE_DOCUMENT)
                                .execute(Tuple.of(id, d.filename(), d.mediaType(), d.sizeBytes(), d.metadata()))
                                .flatMap(v -> insertJob(conn, id, collectionId, importId));
                    }
                    UUID id = UUID.randomUUID();
                    return conn.preparedQuery(INSERT_DOCUMENT)
                            .execute(Tuple.from(List.of(
                                    id,
                                    collectionId,
                                    d.filename(),
                                    d.mediaType(),
                                    d.sizeBytes(),
                                    d.sha256(),
                                    d.metadata())))
                            .flatMap(inserted -> {
                                if (inserted.size() > 0) {
                                    return insertJob(conn, id, collectionId, importId);
                                }
                                // The same bytes were uploaded to this collection at the same moment and the other
                                // upload's row won: this one is its duplicate, as if it had come second.
                                LOG.infof(
                                        "Upload of %s raced with an identical upload to the same collection; it is "
                                                + "its duplicate",
                                        d.filename());
                                return conn.preparedQuery("SELECT id, status FROM documents WHERE collection_id = $1 "
                                                + "AND sha256 = $2")
                                        .execute(Tuple.of(collectionId, d.sha256()))
                                        .flatMap(rs -> {
                                            Row other = rs.iterator().next();
                                            return duplicate(conn, other.getUUID("id"), other.getString("status"));
                                        });
                            });
                });
    }

    private static Uni<Enqueued> duplicate(SqlConnection conn, UUID documentId, String status) {
        return conn.preparedQuery("SELECT id FROM jobs WHERE document_id = $1 ORDER BY created_at DESC LIMIT 1")
                .execute(Tuple.of(documentId))
                .map(jobs -> new Enqueued(
                        documentId,
                        jobs.size() == 0 ? null : jobs.iterator().next().getUUID("id"),
                        status,
                        true));
    }

    private static Uni<Enqueued> insertJob(SqlConnection conn, UUID documentId, UUID collectionId, UUID importId) {
        UUID jobId = UUID.randomUUID();
        return conn.preparedQuery(INSERT_JOB)
                .execute(Tuple.of(jobId, documentId, collectionId, importId))
                .map(v -> new Enqueued(documentId, jobId, "processing", false));
    }

    /**
     * Marks jobs whose chunks are committed to the index succeeded and their documents ready, with their chunk rows,
     * in one transaction. Returns what happened to each job, in the order given.
     */
    public List<Outcome> finish(List<Finished> finished) {
        if (finished.isEmpty()) {
            return List.of();
        }
        List<UUID> ids = finished.stream().map(f -> f.claim().jobId()).toList();
        finishes.incrementAndGet();
        return await(pool.withTransaction(conn -> conn.preparedQuery(
                        "SELECT id, worker, attempts, status FROM jobs WHERE id = ANY($1) FOR UPDATE")
                .execute(Tuple.of(ids.toArray(UUID[]::new)))
                .flatMap(rows -> {
                    Map<UUID, Integer> attempts = new HashMap<>();
                    finished.forEach(
                            f -> attempts.put(f.claim().jobId(), f.claim().attempt()));
                    Map<UUID, Outcome> outcomes = new HashMap<>();
                    for (Row row : rows) {
                        UUID id = row.getUUID("id");
                        boolean holds = worker.equals(row.getString("worker"))
                                && "running".equals(row.getString("status"))
                                && attempts.get(id)
                                        == row.getInteger("attempts").intValue();
                        outcomes.put(id, holds ? Outcome.READY : Outcome.TAKEN_OVER);
                    }
                    List<Finished> ready = finished.stream()
                            .filter(f -> outcomes.get(f.claim().jobId()) == Outcome.READY)
                            .toList();
                    for (Finished f : finished) {
                        Outcome o = outcomes.get(f.claim().jobId());
                        if (o == null) {
                            // Jobs are deleted with their document: it was deleted while it was being ingested.
                            outcomes.put(f.claim().jobId(), Outcome.DELETED);
                        } else if (o == Outcome.TAKEN_OVER) {
                            LOG.warnf(
                                    "Job %s is no longer held by %s; leaving its result to the new holder",
                                    f.claim().jobId(), worker);
                        }
                    }
                    return writeReady(conn, ready)
                            .map(v -> ids.stream().map(outcomes::get).toList());
                })));
    }

    private Uni<Void> writeReady(SqlConnection conn, List<Finished> ready) {
        if (ready.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        UUID[] documents = ready.stream().map(f -> f.claim().documentId()).toArray(UUID[]::new);
        List<Tuple> chunks = new ArrayList<>();
        List<Tuple> docs = new ArrayList<>();
        List<Tuple> jobs = new ArrayList<>();
        for (Finished f : ready) {
            for (ChunkRow c : f.chunks()) {
                chunks.add(Tuple.from(java.util.Arrays.asList(
                        c.id(),
                        f.claim().documentId(),
                        c.ordinal(),
                        c.page(),
                        c.charStart(),
                        c.charEnd(),
                        c.tokenCount(),
                        c.bboxX(),
                        c.bboxY(),
                        c.bboxW(),
                        c.bboxH(),
                        c.startMs(),
                        c.endMs(),
                        c.spans())));
            }
            docs.add(Tuple.of(f.claim().documentId(), f.chunks().size(), f.pageCount()));
            jobs.add(Tuple.of(f.claim().jobId(), f.message()));
        }
        Uni<?> insert = chunks.isEmpty()
                ? Uni.createFrom().voidItem()
                : conn.preparedQuery(
                                "INSERT INTO chunks (id, "
                                        + "document_id, ordinal, page, char_start, char_end, token_count, bbox_x, bbox_y, bbox_w, bbox_h, "
                                        + "start_ms, end_ms, spans) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)")
                        .executeBatch(chunks);
        return conn.preparedQuery("DELETE FROM chunks WHERE document_id = ANY($1)")
                .execute(Tuple.of(documents))
                .flatMap(v -> insert)
                .flatMap(v -> conn.preparedQuery(
                                "UPDATE documents SET status = 'ready', error = NULL, chunk_count = $2, "
                                        + "page_count = $3, updated_at = clock_timestamp() WHERE id = $1")
                        .executeBatch(docs))
                .flatMap(v -> conn.preparedQuery("UPDATE jobs SET status = 'succeeded', progress = 1, message = $2, "
                                + "finished_at = clock_timestamp(), updated_at = clock_timestamp(), lease_until = NULL "
                                + "WHERE id = $1")
                        .executeBatch(jobs))
                .replaceWithVoid();
    }

    /**
     * Marks the job and its document failed with {@code reason}; with {@code claimedAttempt}, only while that claim
     * (this instance and that attempt) still holds the job. A finished job is never changed (a late failure never
     * undoes a success). Returns the document when it was marked failed, so its chunks can leave the index.
     */
    public Optional<FailedDocument> fail(UUID jobId, String reason, Integer claimedAttempt) {
        RowSet<Row> rows = await(pool.withTransaction(conn -> conn.preparedQuery(
                        "UPDATE jobs SET status = 'failed', error = $2, message = 'failed', lease_until = NULL, "
                                + "finished_at = now(), updated_at = now() WHERE id = $1 AND status IN ('queued', 'running') "
                                + "AND ($3::int IS NULL OR (worker = $4 AND attempts = $3)) RETURNING document_id")
                .execute(Tuple.of(jobId, reason, claimedAttempt, worker))
                .flatMap(jobs -> {
                    if (jobs.size() == 0) {
                        return Uni.createFrom().item(jobs);
                    }
                    return conn.preparedQuery("UPDATE documents SET status = 'failed', error = $2, updated_at = now() "
                                    + "WHERE id = $1 RETURNING id AS document_id, collection_id")
                            .execute(Tuple.of(jobs.iterator().next().getUUID("document_id"), reason));
                })));
        if (rows.size() == 0
                || rows.columnsNames() == null
                || !rows.columnsNames().contains("collection_id")) {
            return Optional.empty();
        }
        Row row = rows.iterator().next();
        return Optional.of(new FailedDocument(row.getUUID("document_id"), row.getUUID("collection_id")));
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(WAIT);
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "omnirag";
        }
    }
}
