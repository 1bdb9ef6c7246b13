package dev.omnirag.server.ingest;

import dev.omnirag.index.VectorIndex;
import dev.omnirag.server.db.CollectionEntity;
import dev.omnirag.server.db.Db;
import dev.omnirag.server.db.DocumentEntity;
import dev.omnirag.server.search.CollectionIndexes;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Makes each collection's index agree with the database, as it must after a crash.
 *
 * <p>The database is the truth about which documents exist and how many chunks each has; the index holds the
 * chunks themselves. Ingestion commits the index before it marks a document ready, and a deletion removes the
 * row before the chunks, so a crash can leave only these disagreements, which {@link #reconcile} repairs:
 * <ul>
 *   <li><b>Orphan chunks</b> (the index holds chunks of a document that is absent or failed in the database):
 *       removed from the index.</li>
 *   <li><b>Incomplete documents</b> (a ready document whose chunk count in the index differs from
 *       {@code documents.chunk_count}, e.g. an index restored from an older copy): its chunks are removed and
 *       the document is queued again with a new job, so it is re-ingested from its stored original.</li>
 *   <li><b>Indexes of deleted collections</b> (a crash between deleting the rows and the index): dropped.</li>
 *   <li>Documents still processing are left alone: their job runs again and first removes what an interrupted
 *       run wrote.</li>
 * </ul>
 * Runs at start-up before the ingestion workers (see {@link IngestionWorkers}); blocking, never on the event loop.
 */
@ApplicationScoped
public class IndexReconciler {

    private static final Logger LOG = Logger.getLogger(IndexReconciler.class);
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(60);

    private final Db db;
    private final Pool pool;
    private final CollectionIndexes indexes;
    private final JobQueue queue;

    IndexReconciler(Db db, Pool pool, CollectionIndexes indexes, JobQueue queue) {
        this.db = db;
        this.pool = pool;
        this.indexes = indexes;
        this.queue = queue;
    }

    /**
     * What reconciling one collection found and did.
     *
     * @param documents documents of the collection in the database
     * @param indexedDocuments documents with chunks in the index before reconciling
     * @param orphanDocuments documents whose chunks were removed because the database has them absent or failed
     * @param orphanChunks chunks removed with them
     * @param requeued ready documents whose chunks in the index were missing or incomplete, queued again
     */
    public record Result(int documents, int indexedDocuments, int orphanDocuments, long orphanChunks, int requeued) {
        public Result {
            if (documents < 0 || indexedDocuments < 0 || orphanDocuments < 0 || orphanChunks < 0 || requeued < 0) {
                throw new IllegalArgumentException("counts must be >= 0; documents=" + documents + ", indexedDocuments="
                        + indexedDocuments + ", orphanDocuments=" + orphanDocuments + ", orphanChunks=" + orphanChunks
                        + ", requeued=" + requeued);
            }
        }

        /** True when the index already agreed with the database. */
        public boolean clean() {
            return orphanDocuments == 0 && requeued == 0;
        }

        Result plus(Result o) {
            return new Result(
                    documents + o.documents,
                    indexedDocuments + o.indexedDocuments,
                    orphanDocuments + o.orphanDocuments,
                    orphanChunks + o.orphanChunks,
                    requeued + o.requeued);
        }
    }

    /** Reconciles every collection and logs what was repaired; returns the totals. */
    public Result reconcileAll() {
        List<CollectionEntity> collections = db.read(() -> CollectionEntity.<CollectionEntity>listAll());
        Result total = new Result(0, 0, 0, 0, 0);
        long started = System.nanoTime();
        for (CollectionEntity collection : collections) {
            try {
                total = total.plus(reconcile(collection));
            } catch (RuntimeException e) {
                // One damaged index must not keep the server from starting; searches on it report the error.
                LOG.errorf(e, "Could not reconcile the index of collection %s with the database", collection.name);
            }
        }
        int droppedIndexes = dropOrphanIndexes(collections);
        LOG.infof(
                "Index reconcile: %d collection(s), %d document(s), %d with chunks in the index; removed %d orphan "
                        + "chunk(s) of %d document(s) and %d index(es) of deleted collections, re-queued %d incomplete "
                        + "document(s) in %d ms",
                collections.size(),
                total.documents(),
                total.indexedDocuments(),
                total.orphanChunks(),
                total.orphanDocuments(),
                droppedIndexes,
                total.requeued(),
                (System.nanoTime() - started) / 1_000_000);
        return total;
    }

    /**
     * Drops the index storage of collections that no longer exist (a crash between deleting the collection's rows
     * and its index). Indexes are created on first use, after the collection's row, so a new collection's index
     * is never taken for an orphan.
     */
    int dropOrphanIndexes(List<CollectionEntity> collections) {
        java.util.Set<UUID> orphans;
        try {
            orphans = indexes.stored();
        } catch (RuntimeException e) {
            LOG.warnf("Could not list the stored indexes: %s", e.getMessage());
            return 0;
        }
        collections.forEach(c -> orphans.remove(c.id));
        int dropped = 0;
        for (UUID id : orphans) {
            try {
                indexes.drop(id);
                dropped++;
                LOG.warnf("Dropped the index of collection %s, which no longer exists", id);
            } catch (RuntimeException e) {
                LOG.warnf("Could not drop the index of deleted collection %s: %s", id, e.getMessage());
            }
        }
        return dropped;
    }

    /** Reconciles one collection's index with its documents in the database. */
    public Result reconcile(CollectionEntity collection) {
        VectorIndex index = indexes.get(collection);
        // The index first: a document appearing in the database afterwards has no chunks yet, so it cannot be
        // mistaken for an orphan.
        // With a shared (pgvector) index other replicas keep ingesting meanwhile: what changed after this moment is
        // in flux and left alone, and every removal re-checks the document first.
        java.time.OffsetDateTime started = pool.query("SELECT now()")
                .execute()
                .await()
                .atMost(DB_TIMEOUT)
                .iterator()
                .next()
                .getOffsetDateTime(0);
        Map<String, Long> indexed = index.documentChunkCounts();
        Map<String, DocumentState> documents = new HashMap<>();
        for (Row row : pool.preparedQuery(
                        "SELECT id, status, chunk_count, updated_at FROM documents WHERE collection_id = $1")
                .execute(Tuple.of(collection.id))
                .await()
                .atMost(DB_TIMEOUT)) {
            if (row.getOffsetDateTime("updated_at").isBefore(started)) {
                documents.put(
                        row.getUUID("id").toString(),
                        new DocumentState(row.getString("status"), row.getInteger("chunk_count")));
            } else {
                documents.put(row.getUUID("id").toString(), new DocumentState(IN_FLUX, 0));
            }
        }
        int orphanDocuments = 0;
        long orphanChunks = 0;
        int requeued = 0;
        for (Map.Entry<String, Long> e : indexed.entrySet()) {
            DocumentState doc = documents.get(e.getKey());
            if ((doc == null || doc.status().equals(DocumentEntity.FAILED)) && stillOrphan(e.getKey())) {
                orphanChunks += index.deleteDocument(e.getKey());
                orphanDocuments++;
            }
        }
        for (Map.Entry<String, DocumentState> e : documents.entrySet()) {
            DocumentState doc = e.getValue();
            long inIndex = indexed.getOrDefault(e.getKey(), 0L);
            if (doc.status().equals(DocumentEntity.READY) && inIndex != doc.chunkCount()) {
                if (requeue(UUID.fromString(e.getKey()), inIndex, doc.chunkCount())) {
                    index.deleteDocument(e.getKey());
                    requeued++;
                }
            }
        }
        if (orphanDocuments > 0 || requeued > 0) {
            index.commit();
            LOG.warnf(
                    "Collection %s: the index disagreed with the database; removed %d orphan chunk(s) of %d "
                            + "document(s), re-queued %d document(s) with missing or extra chunks",
                    collection.name, orphanChunks, orphanDocuments, requeued);
        }
        return new Result(documents.size(), indexed.size(), orphanDocuments, orphanChunks, requeued);
    }

    /** Stands for a document that changed while the reconcile ran; left alone. */
    private static final String IN_FLUX = "in-flux";

    /** Whether the document is still absent or failed right now (another replica may have re-queued it). */
    private boolean stillOrphan(String documentId) {
        var rows = pool.preparedQuery("SELECT status FROM documents WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(documentId)))
                .await()
                .atMost(DB_TIMEOUT);
        var it = rows.iterator();
        return !it.hasNext() || DocumentEntity.FAILED.equals(it.next().getString("status"));
    }

    /** Queues a ready document whose chunks the index lacks again (through the job queue); false if it changed. */
    private boolean requeue(UUID documentId, long inIndex, int expected) {
        String message = "queued again by the index reconcile: the index held " + inIndex + " of the document's "
                + expected + " chunks";
        LOG.warnf("Document %s: %s", documentId, message);
        return queue.requeueReady(documentId, message);
    }

    private record DocumentState(String status, int chunkCount) {}
}
