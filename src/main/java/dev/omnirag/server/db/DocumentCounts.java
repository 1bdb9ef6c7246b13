package dev.omnirag.server.db;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * How many documents collections hold, by status, in one grouped query: what a collection view shows instead of a
 * client listing every document to count them (a collection of an imported archive has tens of thousands).
 * Non-blocking; thread safe.
 */
@ApplicationScoped
public class DocumentCounts {

    /** A collection's documents: all of them and by status; {@code total = ready + processing + failed}. */
    public record Counts(long total, long ready, long processing, long failed) {
        public static final Counts NONE = new Counts(0, 0, 0, 0);
    }

    private final Pool pool;

    DocumentCounts(Pool pool) {
        this.pool = pool;
    }

    /** The counts of each collection of {@code collections}; a collection without documents maps to {@link Counts#NONE}. */
    public Uni<Map<UUID, Counts>> of(Collection<UUID> collections) {
        if (collections.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery("SELECT collection_id, status, count(*) AS n FROM documents "
                        + "WHERE collection_id = ANY($1) GROUP BY collection_id, status")
                .execute(Tuple.of(collections.toArray(UUID[]::new)))
                .map(rows -> {
                    Map<UUID, long[]> byCollection = new HashMap<>();
                    for (Row row : rows) {
                        long[] c = byCollection.computeIfAbsent(row.getUUID("collection_id"), k -> new long[3]);
                        long n = row.getLong("n");
                        switch (row.getString("status")) {
                            case DocumentEntity.READY -> c[0] += n;
                            case DocumentEntity.PROCESSING -> c[1] += n;
                            case DocumentEntity.FAILED -> c[2] += n;
                            default -> {}
                        }
                    }
                    Map<UUID, Counts> out = new HashMap<>();
                    for (UUID id : collections) {
                        long[] c = byCollection.get(id);
                        out.put(id, c == null ? Counts.NONE : new Counts(c[0] + c[1] + c[2], c[0], c[1], c[2]));
                    }
                    return out;
                });
    }

    /** The counts of one collection. */
    public Uni<Counts> of(UUID collection) {
        return of(java.util.List.of(collection)).map(m -> m.get(collection));
    }
}
