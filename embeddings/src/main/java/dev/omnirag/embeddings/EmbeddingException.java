package dev.omnirag.embeddings;

import dev.omnirag.error.OmniragException;

/**
 * A failure of the embeddings library: an {@link OmniragException} whose class says where it happened, so a caller can
 * fall back from this library's failures alone. Unchecked; see {@link #kind()}.
 */
public abstract class EmbeddingException extends OmniragException {

    protected EmbeddingException(Kind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }

    /** A transient failure (a remote embedder is down or overloaded, a resource is busy): retrying may succeed. */
    public static final class Retriable extends EmbeddingException {
        public Retriable(String message, Throwable cause) {
            super(Kind.UNAVAILABLE, message, cause);
        }
    }

    /** Retrying the same call fails again (a missing model file, a remote embedder answering nonsense, a text or image it refuses). */
    public static final class NonRetriable extends EmbeddingException {
        public NonRetriable(String message) {
            super(Kind.FAILED, message, null);
        }

        public NonRetriable(String message, Throwable cause) {
            super(Kind.FAILED, message, cause);
        }
    }
}
