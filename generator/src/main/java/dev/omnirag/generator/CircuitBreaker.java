package dev.omnirag.generator;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Stops calling a model server that keeps failing, so requests fall back at once instead of waiting for
 * timeouts.
 *
 * <p>Closed: calls pass; {@code failureThreshold} failures in a row open it. Open: calls are refused with
 * {@link GenerationException.Retriable} for {@code openDuration}. Then half-open: one trial call passes (others
 * are refused); its success closes the breaker, its failure opens it again. A response that proves the server
 * alive (even a 4xx) counts as a success.
 *
 * <p>Thread safe.
 */
public final class CircuitBreaker {

    /** The breaker's state. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final String name;
    private final int failureThreshold;
    private final long openNanos;
    private final LongSupplier clock;

    private State state = State.CLOSED;
    private int failures;
    private long openedAt;
    private boolean trialInFlight;

    /**
     * @param name             what it protects, for messages (e.g. the server's URL)
     * @param failureThreshold consecutive failures that open it, at least 1
     * @param openDuration     how long it stays open before a trial call, positive
     */
    public CircuitBreaker(String name, int failureThreshold, Duration openDuration) {
        this(name, failureThreshold, openDuration, System::nanoTime);
    }

    CircuitBreaker(String name, int failureThreshold, Duration openDuration, LongSupplier clock) {
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("failureThreshold must be at least 1; failureThreshold=" + failureThreshold);
        }
        if (openDuration == null || openDuration.isNegative() || openDuration.isZero()) {
            throw new IllegalArgumentException("openDuration must be positive; openDuration=" + openDuration);
        }
        this.name = name;
        this.failureThreshold = failureThreshold;
        this.openNanos = openDuration.toNanos();
        this.clock = clock;
    }

    /** Lets a call through or refuses it with {@link GenerationException.Retriable}. */
    public synchronized void acquire() {
        if (state == State.OPEN) {
            long waited = clock.getAsLong() - openedAt;
            if (waited < openNanos) {
                throw new GenerationException.Retriable("circuit breaker open: " + name + " failed " + failureThreshold
                        + " times in a row; next try in " + Duration.ofNanos(openNanos - waited).toMillis() + " ms", null);
            }
            state = State.HALF_OPEN;
            trialInFlight = false;
        }
        if (state == State.HALF_OPEN) {
            if (trialInFlight) {
                throw new GenerationException.Retriable("circuit breaker half-open: a trial call to " + name
                        + " is in progress", null);
            }
            trialInFlight = true;
        }
    }

    /** The call reached a live server. */
    public synchronized void onSuccess() {
        state = State.CLOSED;
        failures = 0;
        trialInFlight = false;
    }

    /** The call failed because the server is down, overloaded or too slow. */
    public synchronized void onFailure() {
        trialInFlight = false;
        if (state == State.HALF_OPEN) {
            open();
            return;
        }
        failures++;
        if (failures >= failureThreshold) {
            open();
        }
    }

    /** The call ended without a verdict on the server (the caller gave up): a half-open trial may run again. */
    public synchronized void release() {
        trialInFlight = false;
    }

    private void open() {
        state = State.OPEN;
        openedAt = clock.getAsLong();
    }

    public synchronized State state() {
        if (state == State.OPEN && clock.getAsLong() - openedAt >= openNanos) {
            return State.HALF_OPEN;
        }
        return state;
    }
}
