package dev.omnirag.generator;

import dev.omnirag.error.OmniragException;

/**
 * A failure of the generator library: an {@link OmniragException} whose class says where it happened, so a caller can
 * fall back from this library's failures alone. Unchecked; see {@link #kind()}.
 */
public abstract class GenerationException extends OmniragException {

    protected GenerationException(Kind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }

    /** A transient failure (a model server is down, overloaded or slow): retrying may succeed. */
    public static final class Retriable extends GenerationException {
        public Retriable(String message, Throwable cause) {
            super(Kind.UNAVAILABLE, message, cause);
        }
    }

    /** Retrying the same call fails again (a bad model name, a prompt too long, output that is not an answer). */
    public static final class NonRetriable extends GenerationException {
        public NonRetriable(String message) {
            super(Kind.FAILED, message, null);
        }

        public NonRetriable(String message, Throwable cause) {
            super(Kind.FAILED, message, cause);
        }
    }
}
