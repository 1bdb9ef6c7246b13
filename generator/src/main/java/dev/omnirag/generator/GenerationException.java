package dev.omnirag.generator;

/** Root of every failure the generator library reports. Unchecked; see {@link #isRetriable()}. */
public abstract class GenerationException extends RuntimeException {

    protected GenerationException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True when the same call may succeed later. */
    public abstract boolean isRetriable();

    /** A transient failure (a model server is down or overloaded, a resource is busy): retrying may succeed. */
    public static final class Retriable extends GenerationException {
        public Retriable(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public boolean isRetriable() {
            return true;
        }
    }

    /** A failure caused by the input or the configuration (bad model, invalid output): do not retry. */
    public static final class NonRetriable extends GenerationException {
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
