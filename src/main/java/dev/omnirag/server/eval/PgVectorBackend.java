package dev.omnirag.server.eval;

import dev.omnirag.index.bench.PgliteServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL + pgvector database {@code --backend pgvector} evaluates on: the one a JDBC URL names (user and
 * password in the URL, e.g. {@code jdbc:postgresql://host/db?user=u&password=p}), or, without one, pgvector
 * compiled to WebAssembly (pglite, from the npm packages of {@code index/src/test/js}), started here and stopped
 * on close. pglite runs one query at a time: its figures are quality figures, not pgvector's speed.
 */
final class PgVectorBackend implements AutoCloseable {

    private final PGSimpleDataSource dataSource;
    private final PgliteServer pglite;

    private PgVectorBackend(PGSimpleDataSource dataSource, PgliteServer pglite) {
        this.dataSource = dataSource;
        this.pglite = pglite;
    }

    static PgVectorBackend open(String jdbcUrl) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        PgliteServer pglite = null;
        if (jdbcUrl == null) {
            System.err.println("[eval] no --jdbc URL: starting pgvector in WebAssembly (pglite) for this run");
            pglite = PgliteServer.start(PgliteServer.defaultPackageDir(), null, 4);
            ds.setUrl(pglite.jdbcUrl());
            ds.setUser("postgres");
            ds.setPassword("postgres");
        } else {
            ds.setUrl(jdbcUrl);
        }
        return new PgVectorBackend(ds, pglite);
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** Drops an evaluation table (before a run, in case an interrupted one left it, and after). */
    void dropTable(String table) {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + table);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop the evaluation table " + table + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (pglite != null) {
            pglite.close();
        }
    }
}
