package dev.omnirag.server.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.omnirag.server.config.AuthConfig;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;

/**
 * A token bucket per API key (Bucket4j), in this replica's memory: {@code omnirag.auth.burst} requests at once,
 * refilled at {@code omnirag.auth.requests-per-second}; and a second one for the model tokens a key's requests make
 * the server read ({@code omnirag.auth.model-token-burst}, {@code omnirag.auth.model-tokens-per-second}). With N
 * replicas behind a balancer a key may make up to N times the rate. Buckets of keys idle for ten minutes are dropped (they would be full again anyway).
 */
@ApplicationScoped
public class RateLimiter {

    private final AuthConfig config;
    private final Cache<UUID, Bucket> buckets =
            Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10)).build();
    private final Cache<UUID, Bucket> modelTokens =
            Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10)).build();

    RateLimiter(AuthConfig config) {
        this.config = config;
        if (config.requestsPerSecond() < 1) {
            throw new IllegalArgumentException(
                    "omnirag.auth.requests-per-second must be at least 1; requests-per-second="
                            + config.requestsPerSecond());
        }
        if (config.burst() < 1) {
            throw new IllegalArgumentException("omnirag.auth.burst must be at least 1; burst=" + config.burst());
        }
        if (config.modelTokensPerSecond() < 1) {
            throw new IllegalArgumentException("omnirag.auth.model-tokens-per-second must be at least 1; "
                    + "model-tokens-per-second=" + config.modelTokensPerSecond());
        }
        if (config.modelTokenBurst() < 1) {
            throw new IllegalArgumentException(
                    "omnirag.auth.model-token-burst must be at least 1; model-token-burst=" + config.modelTokenBurst());
        }
    }

    /**
     * Takes {@code tokens} from the key's model-token bucket: 0 when allowed, otherwise the seconds to wait (at least
     * 1). Never called with more than {@code omnirag.auth.model-token-burst} (such a request is refused outright).
     */
    public long acquireModelTokens(UUID keyId, long tokens) {
        Bucket bucket = modelTokens.get(
                keyId,
                id -> Bucket.builder()
                        .addLimit(Bandwidth.builder()
                                .capacity(config.modelTokenBurst())
                                .refillGreedy(config.modelTokensPerSecond(), Duration.ofSeconds(1))
                                .build())
                        .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(Math.max(1, tokens));
        if (probe.isConsumed()) {
            return 0;
        }
        return Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    }

    /** Takes one request from the key's bucket: 0 when allowed, otherwise the seconds to wait (at least 1). */
    public long acquire(UUID keyId) {
        Bucket bucket = buckets.get(
                keyId,
                id -> Bucket.builder()
                        .addLimit(Bandwidth.builder()
                                .capacity(config.burst())
                                .refillGreedy(config.requestsPerSecond(), Duration.ofSeconds(1))
                                .build())
                        .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return 0;
        }
        return Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    }
}
