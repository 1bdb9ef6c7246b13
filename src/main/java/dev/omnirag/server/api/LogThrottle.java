package dev.omnirag.server.api;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets one message of a kind through per interval: what an attacker can make the server say once a request must not
 * flood its log. Thread safe.
 */
final class LogThrottle {

    private final long intervalNanos;
    private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong skipped = new AtomicLong();

    LogThrottle(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /**
     * Whether to log now: the number of messages skipped since the last one logged (0 or more) when it is time, or -1
     * when this one is to be skipped too.
     */
    long suppressed() {
        long now = System.nanoTime();
        long due = next.get();
        if ((due == Long.MIN_VALUE || now - due >= 0) && next.compareAndSet(due, now + intervalNanos)) {
            return skipped.getAndSet(0);
        }
        skipped.incrementAndGet();
        return -1;
    }
}
