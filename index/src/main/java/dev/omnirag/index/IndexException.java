package dev.omnirag.index;

import dev.omnirag.error.OmniragException;

/**
 * A failure of the index library: an {@link OmniragException} whose class says where it happened, so a caller can
 * fall back from this library's failures alone. Unchecked; see {@link #kind()}.
 */
public abstract class IndexException extends OmniragException {

    protected IndexException(Kind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }

    /** A transient failure (I/O trouble, a lock held elsewhere, a database that is down): retrying may succeed. */
    public static final class Retriable extends IndexException {
        public Retriable(String message, Throwable cause) {
            super(Kind.UNAVAILABLE, message, cause);
        }
    }

    /** Retrying the same call fails again (a corrupt index, a vector of the wrong size, a configuration the backend refuses). */
    public static final class NonRetriable extends IndexException {
        public NonRetriable(String message) {
            super(Kind.FAILED, message, null);
        }

        public NonRetriable(String message, Throwable cause) {
            super(Kind.FAILED, message, cause);
        }
    }
}
