package dev.omnirag.server.db;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * Lets blocking code (ingestion workers, endpoints that run ONNX or Lucene) use the reactive database: the
 * work runs in a transaction on a fresh Vert.x context while the calling worker thread waits. Never call it
 * on an event-loop thread.
 */
@ApplicationScoped
public class Db {

    /** Runs {@code work} in a transaction and waits for its result. */
    public <T> T tx(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(work));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t.getMessage(), t);
        }
    }

    /** Runs read-only {@code work} in a session and waits for its result. */
    public <T> T read(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(work));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t.getMessage(), t);
        }
    }
}
