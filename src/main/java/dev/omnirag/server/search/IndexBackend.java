package dev.omnirag.server.search;

import dev.omnirag.index.VectorIndex;
import java.util.Set;
import java.util.UUID;

/**
 * Where the collections' indexes are kept: a directory of Lucene indexes or a PostgreSQL database with pgvector.
 * {@link CollectionIndexes} keeps one open index per collection and asks the backend for everything that depends on
 * where they live. Implementations are thread safe.
 */
interface IndexBackend extends AutoCloseable {

    /**
     * Opens (or creates) the collection's index with its text, native and companion dimensions (0: no such field).
     * A backend without a companion field ignores {@code companionDimensions}: its index reports 0.
     */
    VectorIndex open(UUID collectionId, int dimensions, int nativeDimensions, int companionDimensions);

    /** Deletes the collection's index storage; {@code open} is its open index (closed here), or null. */
    void drop(UUID collectionId, VectorIndex open);

    /** Collections with index storage, whether or not they still exist in the database (crash leftovers). */
    Set<UUID> stored();

    /** Whether index storage can be written now (readiness). */
    boolean writable();

    /** Releases what the backend itself holds (a connection pool); the open indexes are closed by their owner. */
    @Override
    void close();
}
