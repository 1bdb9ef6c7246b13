package dev.omnirag.media;

import dev.omnirag.error.OmniragException;

/**
 * A failure of the media library: an {@link OmniragException} whose class says where it happened, so a caller can
 * fall back from this library's failures alone. Unchecked; see {@link #kind()}.
 */
public abstract class MediaException extends OmniragException {

    protected MediaException(Kind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }

    /** A transient failure (a busy resource, an interrupted tool run): retrying may succeed. */
    public static final class Retriable extends MediaException {
        public Retriable(String message, Throwable cause) {
            super(Kind.UNAVAILABLE, message, cause);
        }
    }

    /**
     * The input is the problem (a damaged, oversized or unsupported file or image): retrying will not help.
     * Messages are written for end users: they say what is wrong with the file.
     */
    public static final class NonRetriable extends MediaException {
        public NonRetriable(String message) {
            super(Kind.INVALID_INPUT, message, null);
        }

        public NonRetriable(String message, Throwable cause) {
            super(Kind.INVALID_INPUT, message, cause);
        }
    }

    /**
     * The set-up is the problem (a tool not installed, a model file missing or damaged): retrying will not help,
     * and neither will another file. Messages say what to install or configure.
     */
    public static final class Misconfigured extends MediaException {
        public Misconfigured(String message) {
            super(Kind.FAILED, message, null);
        }

        public Misconfigured(String message, Throwable cause) {
            super(Kind.FAILED, message, cause);
        }
    }
}
