package dev.omnirag.reranker;

import dev.omnirag.error.OmniragException;

/**
 * A failure of the reranker library: an {@link OmniragException} whose class says where it happened, so a caller can
 * fall back from this library's failures alone. Unchecked; see {@link #kind()}.
 */
public abstract class RerankException extends OmniragException {

    protected RerankException(Kind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }

    /** A transient failure (a model server is down or slow): retrying may succeed. */
    public static final class Retriable extends RerankException {
        public Retriable(String message, Throwable cause) {
            super(Kind.UNAVAILABLE, message, cause);
        }
    }

    /** Retrying the same call fails again (a server without logprobs, a malformed answer, a missing model file). */
    public static final class NonRetriable extends RerankException {
        public NonRetriable(String message) {
            super(Kind.FAILED, message, null);
        }

        public NonRetriable(String message, Throwable cause) {
            super(Kind.FAILED, message, cause);
        }
    }
}
