package dev.omnirag.server;

import dev.omnirag.server.db.ManagedPostgres;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicReference;

/** Stops the embedded PostgreSQL (if this process started one) after everything else has shut down. */
@Singleton
public class EmbeddedDatabase {

    private static final AtomicReference<ManagedPostgres> CURRENT = new AtomicReference<>();

    static void register(ManagedPostgres postgres) {
        CURRENT.set(postgres);
    }

    /** True when this process runs its own PostgreSQL. */
    public static boolean active() {
        return CURRENT.get() != null;
    }

    void onStop(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) {
        ManagedPostgres postgres = CURRENT.getAndSet(null);
        if (postgres != null) {
            postgres.close();
        }
    }
}
