package dev.omnirag.reranker;

/** Root of every failure the reranker library reports. Unchecked; see {@link #isRetriable()}. */
public abstract class RerankException extends RuntimeException {

    protected RerankException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True when the same call may succeed later. */
    public abstract boolean isRetriable();

    /** A transient failure (a model server is down or slow, a resource is busy): retrying may succeed. */
    public static final class Retriable extends RerankException {
        public Retriable(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public boolean isRetriable() {
            return true;
        }
    }

    /** A failure caused by the input or the configuration: retrying the same call fails again. */
    public static final class NonRetriable extends RerankException {
        public NonRetriable(String message) {
            super(message, null);
        }

        public NonRetriable(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public boolean isRetriable() {
            return false;
        }
    }
}
