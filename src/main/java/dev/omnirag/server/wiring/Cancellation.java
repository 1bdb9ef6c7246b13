package dev.omnirag.server.wiring;

import java.util.function.BooleanSupplier;

/**
 * Whether the request a thread works for is still wanted: set around a request's model work ({@code ModelCalls}),
 * read between batches by the embedder ({@link MeteredEmbedder}), so a client that goes away stops the work it
 * asked for instead of leaving the CPU busy for nobody. Threads that set nothing (ingestion) are never cancelled.
 */
public final class Cancellation {

    /** The client of the current request went away; the work it asked for stops. */
    public static final class ClientGone extends RuntimeException {
        public ClientGone() {
            super("the client closed the connection; its work was stopped", null, false, false);
        }
    }

    private static final ThreadLocal<BooleanSupplier> GONE = new ThreadLocal<>();

    private Cancellation() {}

    /** Runs {@code work} on this thread with {@code gone} telling whether its client went away. */
    public static <T> T within(BooleanSupplier gone, java.util.function.Supplier<T> work) {
        BooleanSupplier previous = GONE.get();
        GONE.set(gone);
        try {
            return work.get();
        } finally {
            if (previous == null) {
                GONE.remove();
            } else {
                GONE.set(previous);
            }
        }
    }

    /** Whether this thread works for a request that can be cancelled. */
    static boolean active() {
        return GONE.get() != null;
    }

    /** Throws {@link ClientGone} when this thread's client went away. */
    public static void check() {
        BooleanSupplier gone = GONE.get();
        if (gone != null && gone.getAsBoolean()) {
            throw new ClientGone();
        }
    }
}
