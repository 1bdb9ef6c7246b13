package dev.omnirag.embeddings;

/** Root of every failure the embeddings library reports. Unchecked; see {@link #isRetriable()}. */
public abstract class EmbeddingException extends RuntimeException {

    protected EmbeddingException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True when the same call may succeed later. */
    public abstract boolean isRetriable();

    /** A transient failure (a remote embedder is down, a resource is busy): retrying may succeed. */
    public static final class Retriable extends EmbeddingException {
        public Retriable(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public boolean isRetriable() {
            return true;
        }
    }

    /** A failure caused by the input or the configuration (missing model file, bad input): do not retry. */
    public static final class NonRetriable extends EmbeddingException {
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
