package dev.omnirag.server.search;

import dev.omnirag.index.PgVectorIndex;
import dev.omnirag.index.VectorIndex;
import dev.omnirag.server.config.IndexConfig;
import dev.omnirag.server.config.OmniragConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * One open index per collection, opened on first use and kept open (Lucene's readers and writers are meant to be
 * long-lived and shared across threads). Where the indexes live is the {@link IndexBackend}'s business: Lucene under
 * {@code <home>/indexes/<collection id>} ({@link LuceneIndexBackend}) or pgvector tables
 * {@code omnirag_chunks_<collection id>} ({@link PgVectorIndexBackend}), as {@code omnirag.index.backend} says.
 */
@ApplicationScoped
public class CollectionIndexes {

    private static final Logger LOG = Logger.getLogger(CollectionIndexes.class);

    private final IndexBackend backend;
    private final Map<UUID, VectorIndex> open = new ConcurrentHashMap<>();

    CollectionIndexes(
            OmniragConfig home,
            IndexConfig config,
            jakarta.enterprise.inject.Instance<javax.sql.DataSource> metadataDataSource) {
        this.backend = config.backend() == IndexConfig.Backend.PGVECTOR
                ? new PgVectorIndexBackend(config, metadataDataSource::get)
                : new LuceneIndexBackend(home.home().resolve("indexes"), config);
    }

    /**
     * A collection's Lucene index under {@code home}, opened as the server opens it with {@code config}, for a tool
     * that writes it while the server is stopped (the bulk loader of {@code eval.ScaleBenchmark}); the caller closes
     * it.
     */
    public static VectorIndex openLuceneOffline(
            java.nio.file.Path home, IndexConfig config, UUID collectionId, int dimensions) {
        return new LuceneIndexBackend(home.resolve("indexes"), config).open(collectionId, dimensions, 0, 0);
    }

    /**
     * A collection's pgvector table in the database at {@code omnirag.index.pgvector.url}, opened as the server opens
     * it with {@code config}, for a tool that loads it while the server is stopped (the bulk loader of
     * {@code eval.ScaleBenchmark}); closing it closes its connection pool.
     */
    public static OfflinePgVector openPgVectorOffline(IndexConfig config, UUID collectionId, int dimensions) {
        if (config.pgvector().url().isEmpty()) {
            throw new IllegalArgumentException("a pgvector table written while the server is stopped needs "
                    + "omnirag.index.pgvector.url (the server's metadata database is its own)");
        }
        PgVectorIndexBackend backend = new PgVectorIndexBackend(config, () -> {
            throw new IllegalStateException("omnirag.index.pgvector.url is set; the metadata database is not used");
        });
        try {
            return new OfflinePgVector((PgVectorIndex) backend.open(collectionId, dimensions, 0, 0), backend);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /** A collection's pgvector table and the pool that reaches it, for {@link #openPgVectorOffline}. */
    public record OfflinePgVector(PgVectorIndex index, AutoCloseable pool) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            pool.close();
        }
    }

    /** The collection's index, opened with its text, native and companion dimensions. */
    public VectorIndex get(dev.omnirag.server.db.CollectionEntity collection) {
        return get(
                collection.id,
                collection.dimensions,
                collection.nativeDimensionsOrZero(),
                collection.companionDimensionsOrZero());
    }

    /** The collection's index, opened (or created) with the given dimensions and no native vector field. */
    public VectorIndex get(UUID collectionId, int dimensions) {
        return get(collectionId, dimensions, 0, 0);
    }

    /** The collection's index, opened (or created) with the given text, native and companion dimensions (0: none). */
    public VectorIndex get(UUID collectionId, int dimensions, int nativeDimensions, int companionDimensions) {
        return open.computeIfAbsent(
                collectionId, id -> backend.open(id, dimensions, nativeDimensions, companionDimensions));
    }

    /** Closes and deletes the collection's index. */
    public void drop(UUID collectionId) {
        backend.drop(collectionId, open.remove(collectionId));
    }

    /**
     * Collections that have index storage (a Lucene directory, or a pgvector table), whether or not they are
     * open or still exist in the database; for finding indexes a crash left behind.
     */
    public Set<UUID> stored() {
        return backend.stored();
    }

    /** True when the index storage can be written (readiness). */
    public boolean writable() {
        return backend.writable();
    }

    public int openCount() {
        return open.size();
    }

    /**
     * Connections the pool to {@code omnirag.index.pgvector.url} holds now, borrowed or idle (0 with the Lucene
     * backend or the metadata database): at most {@code omnirag.index.pgvector.max-connections}, whatever the load.
     */
    public long vectorStoreConnections() {
        return backend instanceof PgVectorIndexBackend pg ? pg.pooledConnections() : 0;
    }

    @PreDestroy
    void closeAll() {
        open.forEach((id, index) -> {
            try {
                index.close();
            } catch (RuntimeException e) {
                LOG.warnf("closing the index of collection %s failed: %s", id, e.getMessage());
            }
        });
        open.clear();
        backend.close();
    }
}
