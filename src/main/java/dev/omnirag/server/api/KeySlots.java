package dev.omnirag.server.api;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts what each API key has in flight of one kind of work (uploads being received, model calls) and refuses the
 * one beyond {@code max}: one key cannot take all the server's threads, temp space or model time. Thread safe;
 * a key's counter is dropped when it falls back to zero.
 */
public final class KeySlots {

    /** Stands for the caller when authentication is off (no key id). */
    private static final UUID NO_KEY = new UUID(0, 0);

    private final int max;
    private final ConcurrentHashMap<UUID, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    public KeySlots(int max, String key) {
        if (max < 1) {
            throw new IllegalArgumentException(key + " must be at least 1; " + key + "=" + max);
        }
        this.max = max;
    }

    public int max() {
        return max;
    }

    /** Takes a slot for the key; false when it already has {@code max} in flight. */
    public boolean tryAcquire(UUID keyId) {
        boolean[] taken = {false};
        inFlight.compute(keyId == null ? NO_KEY : keyId, (k, n) -> {
            AtomicInteger count = n == null ? new AtomicInteger() : n;
            if (count.get() < max) {
                count.incrementAndGet();
                taken[0] = true;
            }
            return count.get() == 0 ? null : count;
        });
        return taken[0];
    }

    /** Gives back a slot taken by {@link #tryAcquire}. */
    public void release(UUID keyId) {
        inFlight.computeIfPresent(keyId == null ? NO_KEY : keyId, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    /** Slots the key holds now. */
    public int held(UUID keyId) {
        AtomicInteger n = inFlight.get(keyId == null ? NO_KEY : keyId);
        return n == null ? 0 : n.get();
    }
}
