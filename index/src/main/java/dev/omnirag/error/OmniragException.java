package dev.omnirag.error;

/**
 * Root of every failure the Omnirag libraries report (embeddings, index, reranker, generator, media), so that a
 * caller handles them in one place: its {@link Kind} decides whether to retry and, in the server, the HTTP status
 * (only {@link Kind#INVALID_INPUT} of a request's own input is the client's fault). Unchecked.
 *
 * <p>Each library keeps a subclass naming where the failure happened ({@code EmbeddingException},
 * {@code IndexException}, ...), so a caller can still fall back from one library's failure (a generator that is
 * down) without catching another's. Messages are written for the person who reads them (an operator or, for
 * invalid input, a user): they say what failed and what to do, never a Java class name.
 */
public abstract class OmniragException extends RuntimeException {

    /** What kind of failure this is; decides retries and the HTTP status. */
    public enum Kind {
        /** The input is wrong (a damaged file, an unreadable image): the same input fails again; fix the input. */
        INVALID_INPUT,
        /** Transient (a remote model server down, overloaded or slow; a busy resource): a retry may succeed. */
        UNAVAILABLE,
        /** The set-up or a dependency is wrong (a missing model file, a server answering nonsense): retrying fails again. */
        FAILED
    }

    private final Kind kind;

    protected OmniragException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        if (kind == null) {
            throw new IllegalArgumentException("kind must not be null");
        }
        this.kind = kind;
    }

    /** What kind of failure this is. */
    public final Kind kind() {
        return kind;
    }

    /** True when the same call may succeed later ({@link Kind#UNAVAILABLE}). */
    public final boolean isRetriable() {
        return kind == Kind.UNAVAILABLE;
    }
}
