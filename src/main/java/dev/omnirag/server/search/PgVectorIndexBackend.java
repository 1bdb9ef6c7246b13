package dev.omnirag.server.search;

import dev.omnirag.index.PgVectorIndex;
import dev.omnirag.index.VectorIndex;
import dev.omnirag.index.VectorSimilarity;
import dev.omnirag.server.config.IndexConfig;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * pgvector tables, {@code omnirag_chunks_<collection id>}, in the metadata database (its pool) or in the database at
 * {@code omnirag.index.pgvector.url}, reached through a connection pool of its own (Agroal, at most
 * {@code omnirag.index.pgvector.max-connections}): every search and write borrows a connection instead of opening one.
 */
final class PgVectorIndexBackend implements IndexBackend {

    private final IndexConfig config;
    private final Supplier<DataSource> metadata;
    private volatile DataSource dataSource;
    /** The pool this backend created for its own URL (closed with it); null with the metadata database. */
    private volatile AgroalDataSource ownPool;

    PgVectorIndexBackend(IndexConfig config, Supplier<DataSource> metadata) {
        this.config = config;
        this.metadata = metadata;
    }

    /** The data source of the tables, created on first use (the pool connects lazily). */
    DataSource dataSource() {
        DataSource ds = dataSource;
        if (ds == null) {
            synchronized (this) {
                if (dataSource == null) {
                    dataSource = config.pgvector().url().isPresent() ? pool(config.pgvector()) : metadata.get();
                }
                ds = dataSource;
            }
        }
        return ds;
    }

    private DataSource pool(IndexConfig.Pgvector pg) {
        int max = pg.maxConnections();
        if (max < 1 || max > 1000) {
            throw new IllegalArgumentException(
                    "omnirag.index.pgvector.max-connections must be in 1..1000; max-connections=" + max);
        }
        AgroalDataSourceConfigurationSupplier supplier = new AgroalDataSourceConfigurationSupplier()
                .metricsEnabled(true)
                .connectionPoolConfiguration(pool -> pool.minSize(0)
                        .initialSize(0)
                        .maxSize(max)
                        .acquisitionTimeout(Duration.ofSeconds(30))
                        .validationTimeout(Duration.ofMinutes(1))
                        .reapTimeout(Duration.ofMinutes(5))
                        .connectionFactoryConfiguration(factory -> {
                            factory.jdbcUrl(pg.url().orElseThrow());
                            pg.username().ifPresent(u -> factory.principal(new NamePrincipal(u)));
                            pg.password().ifPresent(p -> factory.credential(new SimplePassword(p)));
                            return factory;
                        }));
        try {
            AgroalDataSource created = AgroalDataSource.from(supplier);
            ownPool = created;
            return created;
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot create the connection pool to omnirag.index.pgvector.url: " + e.getMessage(), e);
        }
    }

    /** The pgvector table of a collection. */
    static String table(UUID collectionId) {
        return "omnirag_chunks_" + collectionId.toString().replace("-", "");
    }

    @Override
    public VectorIndex open(UUID collectionId, int dimensions, int nativeDimensions, int companionDimensions) {
        return PgVectorIndex.builder()
                .dataSource(dataSource())
                .table(table(collectionId))
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
                .keywordCandidates(config.pgvector().keywordCandidates())
                .build();
    }

    @Override
    public void drop(UUID collectionId, VectorIndex open) {
        if (open instanceof PgVectorIndex pg) {
            pg.drop();
            return;
        }
        try (Connection c = dataSource().getConnection();
                Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + table(collectionId));
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot drop the pgvector table of collection " + collectionId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Set<UUID> stored() {
        Set<UUID> out = new HashSet<>();
        try (Connection c = dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT tablename FROM pg_tables "
                        + "WHERE tablename LIKE 'omnirag\\_chunks\\_%' AND schemaname = current_schema()")) {
            while (rs.next()) {
                String hex = rs.getString(1).substring("omnirag_chunks_".length());
                if (hex.matches("[0-9a-f]{32}")) {
                    out.add(UUID.fromString(hex.replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5")));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list the pgvector tables: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public boolean writable() {
        try (Connection c = dataSource().getConnection()) {
            return c.isValid(5);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /** Connections the pool for {@code omnirag.index.pgvector.url} holds now (0 with the metadata database). */
    long pooledConnections() {
        AgroalDataSource pool = ownPool;
        return pool == null
                ? 0
                : pool.getMetrics().activeCount() + pool.getMetrics().availableCount();
    }

    @Override
    public void close() {
        AgroalDataSource pool = ownPool;
        if (pool != null) {
            pool.close();
        }
    }
}
