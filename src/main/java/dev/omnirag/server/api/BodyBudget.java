package dev.omnirag.server.api;

import dev.omnirag.server.config.HttpConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory that JSON bodies being read and parsed may take together ({@code omnirag.http.body-memory}, a quarter
 * of the heap by default; on a 512 MiB heap one 16 MiB body and a thousand small ones at once). A request reserves its share before its body is read and gives it back when its
 * response has ended; a reservation that does not fit is refused, so a flood of large bodies is answered with 503
 * instead of exhausting the heap. Thread safe.
 */
@ApplicationScoped
public class BodyBudget {

    /**
     * Bytes of heap one byte of JSON may take while it is parsed: Jackson's text buffers (two bytes a character) and
     * the resulting strings.
     */
    public static final int EXPANSION = 4;

    /** Heap one parsed JSON token may take beyond its bytes (an object node with its map, at worst). */
    public static final int TOKEN_COST = 100;

    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    @Inject
    BodyBudget(HttpConfig config) {
        this(config.bodyMemory()
                .map(m -> m.asLongValue())
                .orElse(Runtime.getRuntime().maxMemory() / 4));
    }

    BodyBudget(long capacity) {
        if (capacity < 1024 * 1024) {
            throw new IllegalArgumentException("omnirag.http.body-memory must be at least 1M; body-memory=" + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * What a body of {@code length} bytes reserves: its parse cost (its bytes times {@link #EXPANSION}, plus
     * {@link #TOKEN_COST} for each token it may hold, at most {@link JsonLimits#MAX_TOKENS}), at most the whole budget
     * (so that it can run alone).
     */
    public long weight(long length) {
        if (length > capacity) {
            return capacity;
        }
        long w = length * EXPANSION + Math.min(length, JsonLimits.MAX_TOKENS) * (long) TOKEN_COST;
        return Math.min(w, capacity);
    }

    /** Reserves {@code bytes}; false (and nothing reserved) when they do not fit beside what is reserved now. */
    public boolean tryReserve(long bytes) {
        while (true) {
            long now = used.get();
            if (now + bytes > capacity) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /** Gives back a reservation made by {@link #tryReserve}. */
    public void release(long bytes) {
        used.addAndGet(-bytes);
    }

    public long capacity() {
        return capacity;
    }

    /** Bytes reserved now. */
    public long used() {
        return used.get();
    }
}
