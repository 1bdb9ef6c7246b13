package dev.omnirag.server.db;

import io.vertx.pgclient.PgException;
import java.sql.SQLException;

/**
 * Reads the SQLSTATE of a database failure, wherever in the cause chain Hibernate Reactive, the reactive client or
 * JDBC put it: what a failure was (a duplicate, a value PostgreSQL cannot store) decides what the client is told.
 */
public final class SqlStates {

    /** unique_violation: another row already has this key. */
    public static final String UNIQUE_VIOLATION = "23505";

    private SqlStates() {}

    /** The first SQLSTATE in the cause chain of {@code failure}, or null when it is not a database failure. */
    public static String of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg && pg.getSqlState() != null) {
                return pg.getSqlState();
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    /** Whether the failure is a unique-key violation. */
    public static boolean isUniqueViolation(Throwable failure) {
        return UNIQUE_VIOLATION.equals(of(failure));
    }

    /** Whether the failure is a data exception (class 22: a value PostgreSQL cannot store or convert, such as NUL). */
    public static boolean isDataException(Throwable failure) {
        String state = of(failure);
        return state != null && state.startsWith("22");
    }
}
