package dev.omnirag.openai;

import dev.omnirag.error.OmniragException;
import java.time.Duration;

/**
 * A call through {@link OpenAiTransport} failed: the server is unreachable, overloaded, too slow or misbehaving
 * ({@link Kind#UNAVAILABLE}, retriable), or it refused the request with a 4xx answer ({@link Kind#FAILED}: a bad
 * model name, a prompt too long, a bad key; the server's own message is in ours). The clients built on the
 * transport turn it into their library's exception.
 */
public final class TransportException extends OmniragException {

    private final int status;
    private final boolean timedOut;
    private final transient Duration retryAfter;

    TransportException(Kind kind, String message, Throwable cause, int status, boolean timedOut, Duration retryAfter) {
        super(kind, message, cause);
        this.status = status;
        this.timedOut = timedOut;
        this.retryAfter = retryAfter;
    }

    /** The HTTP status the server answered, or 0 when none came (refused, timed out, malformed). */
    public int status() {
        return status;
    }

    /** True when the server did not answer, or stalled mid-stream, within the time allowed. */
    public boolean timedOut() {
        return timedOut;
    }

    /** The server's {@code Retry-After}, or null. */
    Duration retryAfter() {
        return retryAfter;
    }

    /** True when an answer proved the server alive (a 4xx): the circuit breaker counts it as a success. */
    boolean serverAlive() {
        return status >= 400 && status < 500 && kind() == Kind.FAILED;
    }

    TransportException afterAttempts(int attempts) {
        return attempts <= 1
                ? this
                : new TransportException(
                        kind(),
                        getMessage() + " (after " + attempts + " attempts)",
                        getCause(),
                        status,
                        timedOut,
                        retryAfter);
    }
}
