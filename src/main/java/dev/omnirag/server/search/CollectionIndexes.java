package dev.omnirag.server.search;

import dev.omnirag.index.LuceneHybridIndex;
import dev.omnirag.index.PgVectorIndex;
import dev.omnirag.index.VectorIndex;
import dev.omnirag.index.VectorSimilarity;
import dev.omnirag.server.config.IndexConfig;
import dev.omnirag.server.config.OmniragConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * One open index per collection, opened on first use and kept open. With the Lucene backend it lives under
 * {@code <home>/indexes/<collection id>} (readers and writers are meant to be long-lived and shared across
 * threads); with the pgvector backend it is the table {@code omnirag_chunks_<collection id>} in PostgreSQL.
 */
@ApplicationScoped
public class CollectionIndexes {

    private static final Logger LOG = Logger.getLogger(CollectionIndexes.class);

    private final Path root;
    private final IndexConfig config;
    private final jakarta.enterprise.inject.Instance<javax.sql.DataSource> metadataDataSource;
    private final Map<UUID, VectorIndex> open = new ConcurrentHashMap<>();
    private volatile javax.sql.DataSource vectorDataSource;

    CollectionIndexes(OmniragConfig home, IndexConfig config,
            jakarta.enterprise.inject.Instance<javax.sql.DataSource> metadataDataSource) {
        this.root = home.home().resolve("indexes");
        this.config = config;
        this.metadataDataSource = metadataDataSource;
    }

    /** The collection's index, opened with its text and native dimensions. */
    public VectorIndex get(dev.omnirag.server.db.CollectionEntity collection) {
        return get(collection.id, collection.dimensions, collection.nativeDimensionsOrZero());
    }

    /** The collection's index, opened (or created) with the given dimensions and no native vector field. */
    public VectorIndex get(UUID collectionId, int dimensions) {
        return get(collectionId, dimensions, 0);
    }

    /** The collection's index, opened (or created) with the given text and native dimensions (0: none). */
    public VectorIndex get(UUID collectionId, int dimensions, int nativeDimensions) {
        if (config.backend() == IndexConfig.Backend.PGVECTOR) {
            return open.computeIfAbsent(collectionId, id -> PgVectorIndex.builder()
                    .dataSource(vectorDataSource())
                    .table(table(id))
                    .dimensions(dimensions)
                    .nativeDimensions(nativeDimensions)
                    .similarity(VectorSimilarity.DOT_PRODUCT)
                    .storage(config.pgvector().storage())
                    .hnswM(config.hnswM())
                    .efConstruction(config.pgvector().efConstruction())
                    .efSearch(Math.min(1000, config.efSearch()))
                    .hybridCandidates(config.hybridCandidates())
                    .rrfK(config.rrfK())
                    .textSearchConfig(config.pgvector().textSearchConfig())
                    .build());
        }
        return open.computeIfAbsent(collectionId, id -> LuceneHybridIndex.builder()
                .path(root.resolve(id.toString()))
                .dimensions(dimensions)
                .nativeDimensions(nativeDimensions)
                .similarity(VectorSimilarity.DOT_PRODUCT)
                .quantization(config.quantization())
                .hnswM(config.hnswM())
                .hnswBeamWidth(config.hnswBeamWidth())
                .efSearch(config.efSearch())
                .hybridCandidates(config.hybridCandidates())
                .rrfK(config.rrfK())
                .build());
    }

    /** The pgvector table of a collection. */
    static String table(UUID collectionId) {
        return "omnirag_chunks_" + collectionId.toString().replace("-", "");
    }

    private javax.sql.DataSource vectorDataSource() {
        if (vectorDataSource == null) {
            synchronized (this) {
                if (vectorDataSource == null) {
                    if (config.pgvector().url().isPresent()) {
                        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
                        ds.setUrl(config.pgvector().url().get());
                        config.pgvector().username().ifPresent(ds::setUser);
                        config.pgvector().password().ifPresent(ds::setPassword);
                        vectorDataSource = ds;
                    } else {
                        vectorDataSource = metadataDataSource.get();
                    }
                }
            }
        }
        return vectorDataSource;
    }

    /** Closes and deletes the collection's index. */
    public void drop(UUID collectionId) {
        if (config.backend() == IndexConfig.Backend.PGVECTOR) {
            VectorIndex index = open.remove(collectionId);
            if (index instanceof PgVectorIndex pg) {
                pg.drop();
            } else {
                try (java.sql.Connection c = vectorDataSource().getConnection();
                        java.sql.Statement st = c.createStatement()) {
                    st.execute("DROP TABLE IF EXISTS " + table(collectionId));
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException("cannot drop the pgvector table of collection " + collectionId
                            + ": " + e.getMessage(), e);
                }
            }
            return;
        }
        VectorIndex index = open.remove(collectionId);
        if (index != null) {
            index.close();
        }
        Path dir = root.resolve(collectionId.toString());
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the index at " + dir, e);
            }
        }
    }

    /**
     * Collections that have index storage (a Lucene directory, or a pgvector table), whether or not they are
     * open or still exist in the database; for finding indexes a crash left behind.
     */
    public java.util.Set<UUID> stored() {
        java.util.Set<UUID> out = new java.util.HashSet<>();
        if (config.backend() == IndexConfig.Backend.PGVECTOR) {
            try (java.sql.Connection c = vectorDataSource().getConnection();
                    java.sql.Statement st = c.createStatement();
                    java.sql.ResultSet rs = st.executeQuery("SELECT tablename FROM pg_tables "
                            + "WHERE tablename LIKE 'omnirag\\_chunks\\_%' AND schemaname = current_schema()")) {
                while (rs.next()) {
                    String hex = rs.getString(1).substring("omnirag_chunks_".length());
                    if (hex.matches("[0-9a-f]{32}")) {
                        out.add(UUID.fromString(hex.replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5")));
                    }
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("cannot list the pgvector tables: " + e.getMessage(), e);
            }
            return out;
        }
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            dirs.filter(Files::isDirectory).forEach(d -> {
                try {
                    out.add(UUID.fromString(d.getFileName().toString()));
                } catch (IllegalArgumentException notACollection) {
                    // Not ours; left alone.
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the indexes in " + root, e);
        }
        return out;
    }

    /** True when the index storage can be written (readiness). */
    public boolean writable() {
        if (config.backend() == IndexConfig.Backend.PGVECTOR) {
            try (java.sql.Connection c = vectorDataSource().getConnection()) {
                return c.isValid(5);
            } catch (java.sql.SQLException | RuntimeException e) {
                return false;
            }
        }
        try {
            Files.createDirectories(root);
            return Files.isWritable(root);
        } catch (IOException e) {
            return false;
        }
    }

    public int openCount() {
        return open.size();
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
    }
}
