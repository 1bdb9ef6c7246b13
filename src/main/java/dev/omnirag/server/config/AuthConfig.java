package dev.omnirag.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** API keys, per-collection roles and per-key rate limits (docs/security.md). */
@ConfigMapping(prefix = "omnirag.auth")
public interface AuthConfig {

    /**
     * Require an API key ({@code Authorization: Bearer omr_...}) on every {@code /v1} endpoint and on
     * {@code /q/metrics}. When false every request acts as the global admin, and the service refuses to start
     * unless {@code quarkus.http.host} is a loopback address.
     */
    @WithDefault("true")
    boolean enabled();

    /** Sustained requests per second one key may make (token bucket refill rate, per replica). */
    @WithDefault("50")
    int requestsPerSecond();

    /** Requests one key may make at once before the sustained rate applies (token bucket capacity, per replica). */
    @WithDefault("100")
    int burst();

    /**
     * Model tokens (text a model reads: embedding inputs, documents to rerank, prompts passed to the generator) one
     * key may spend per second, sustained, per replica: a second token bucket beside the request rate, so that one
     * request of 2048 long inputs costs what it costs.
     */
    @WithDefault("10000")
    int modelTokensPerSecond();

    /**
     * Model tokens one key may spend at once (the model-token bucket's capacity); also the most one request may
     * carry (OpenAI's own limit per embeddings request).
     */
    @WithDefault("300000")
    int modelTokenBurst();

    /** Requests with model work (embeddings, rerank, pass-through chat) one key may have running at once. */
    @WithDefault("2")
    int maxConcurrentModelCalls();

    /**
     * Searches and asks one key may have running at once (an answer stream counts until it ends); the next gets 429
     * with {@code Retry-After}, so one client cannot starve the others.
     */
    @WithDefault("8")
    int maxConcurrentQueries();

    /**
     * How long a replica remembers what a key may do before it reads the key again. A key revoked (or a grant
     * changed) on another replica takes effect here within this time; on the replica that made the change, at once.
     */
    @WithDefault("10s")
    Duration cacheTtl();

    /** A key's last-used time is written at most once per this interval per replica (not on every request). */
    @WithDefault("60s")
    Duration lastUsedInterval();
}
