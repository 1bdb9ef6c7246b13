package dev.omnirag.server.config;

import dev.omnirag.error.OmniragException;
import java.util.function.Supplier;

/**
 * The server's configuration is wrong: a key missing, or a value a component refuses. It is the operator's to fix,
 * so a request that meets it (models are built when first needed) answers 500 with the message naming the key,
 * never 400: the client did nothing wrong.
 */
public final class Misconfiguration extends OmniragException {

    public Misconfiguration(String message) {
        super(Kind.FAILED, message, null);
    }

    public Misconfiguration(String message, Throwable cause) {
        super(Kind.FAILED, message, cause);
    }

    /**
     * Builds a component from configuration; a parameter its builder refuses (an {@link IllegalArgumentException}
     * naming the parameter and value) becomes a Misconfiguration that also names the keys, {@code keys}.
     */
    public static <T> T building(String keys, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new Misconfiguration("the configuration " + keys + " is refused: " + e.getMessage(), e);
        }
    }
}
