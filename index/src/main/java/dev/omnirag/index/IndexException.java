package dev.omnirag.index;

/**
 * Root of every failure the index library reports. Unchecked; see {@link #isRetriable()}.
 */
public abstract class IndexException extends RuntimeException {

    protected IndexException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True when the same call may succeed later (I/O trouble, a lock held elsewhere). */
    public abstract boolean isRetriable();

    /** A transient failure: retrying may succeed. */
    public static final class Retriable extends IndexException {
        public Retriable(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public boolean isRetriable() {
            return true;
        }
    }

    /** A failure caused by the input or the index's configuration: retrying the same call fails again. */
    public static final class NonRetriable extends IndexException {
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
