package dev.omnirag.media;

/** Root of every failure the media library reports. Unchecked; see {@link #isRetriable()}. */
public abstract class MediaException extends RuntimeException {

    protected MediaException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True when the same call may succeed later. */
    public abstract boolean isRetriable();

    /** A transient failure (a busy resource, an interrupted tool run): retrying may succeed. */
    public static final class Retriable extends MediaException {
        public Retriable(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public boolean isRetriable() {
            return true;
        }
    }

    /**
     * The input or the set-up is the problem (a damaged or oversized file, a missing tool or model): retrying
     * will not help. Messages are written for end users: they say what is wrong with the file.
     */
    public static final class NonRetriable extends MediaException {
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
