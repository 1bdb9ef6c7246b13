package dev.omnirag.server.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.omnirag.server.config.AuthConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Finds the key a request presents, by the SHA-256 of the key, with its grants. Answers are remembered for
 * {@code omnirag.auth.cache-ttl} so that not every request reads the database; changes made through this replica
 * ({@link #forget}) take effect at once. Never blocks: the lookup uses the reactive client.
 */
@ApplicationScoped
public class Authenticator {

    private static final Logger LOG = Logger.getLogger(Authenticator.class);

    /** The outcome of presenting a key. */
    public sealed interface Outcome {}

    /** A valid key. */
    public record Valid(Principal principal) implements Outcome {}

    /** A key the service never issued. */
    public record Unknown() implements Outcome {}

    /** A key that was revoked. */
    public record Revoked(UUID keyId) implements Outcome {}

    private final Pool pool;
    private final AuthConfig config;
    private final Cache<String, Outcome> cache;
    private final Map<UUID, Long> lastWritten = new ConcurrentHashMap<>();
    /** Bumped by every forget: a lookup that began before a revocation must not cache what it read. */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    Authenticator(Pool pool, AuthConfig config) {
        this.pool = pool;
        this.config = config;
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(config.cacheTtl())
                .maximumSize(100_000)
                .build();
    }

    /** What the key may do. */
    public Uni<Outcome> authenticate(String key) {
        String hash = ApiKeys.hash(key);
        Outcome known = cache.getIfPresent(hash);
        if (known != null) {
            touch(known);
            return Uni.createFrom().item(known);
        }
        long before = generation.get();
        return pool.preparedQuery("SELECT k.id, k.name, k.admin, k.revoked_at, g.collection_id, g.role FROM api_keys k "
                        + "LEFT JOIN collection_grants g ON g.key_id = k.id WHERE k.key_hash = $1")
                .execute(Tuple.of(hash))
                .map(rows -> {
                    Outcome outcome = new Unknown();
                    Map<UUID, Role> grants = new HashMap<>();
                    UUID id = null;
                    String name = null;
                    boolean admin = false;
                    boolean revoked = false;
                    for (Row r : rows) {
                        id = r.getUUID("id");
                        name = r.getString("name");
                        admin = r.getBoolean("admin");
                        revoked = r.getOffsetDateTime("revoked_at") != null;
                        UUID collection = r.getUUID("collection_id");
                        if (collection != null) {
                            grants.put(collection, Role.parse("role", r.getString("role")));
                        }
                    }
                    if (id != null) {
                        outcome = revoked ? new Revoked(id) : new Valid(new Principal(id, name, admin, grants));
                    }
                    if (generation.get() == before) {
                        cache.put(hash, outcome);
                    }
                    touch(outcome);
                    return outcome;
                });
    }

    /** Drops what this replica remembers about a key (after it was revoked or its grants changed). */
    public void forget(UUID keyId) {
        generation.incrementAndGet();
        cache.asMap()
                .values()
                .removeIf(
                        o -> o instanceof Valid v && keyId.equals(v.principal().keyId())
                                || o instanceof Revoked r && keyId.equals(r.keyId()));
    }

    /** Drops everything remembered (after a collection, and with it its grants, was deleted). */
    public void forgetAll() {
        generation.incrementAndGet();
        cache.invalidateAll();
    }

    /** Records the key's use, at most once per {@code omnirag.auth.last-used-interval}; never waits for it. */
    private void touch(Outcome outcome) {
        if (!(outcome instanceof Valid v)) {
            return;
        }
        UUID id = v.principal().keyId();
        long now = System.nanoTime();
        long interval = config.lastUsedInterval().toNanos();
        Long previous = lastWritten.get(id);
        if (previous != null && now - previous < interval) {
            return;
        }
        if (previous == null ? lastWritten.putIfAbsent(id, now) != null : !lastWritten.replace(id, previous, now)) {
            return; // another request is writing it
        }
        pool.preparedQuery("UPDATE api_keys SET last_used_at = $2 WHERE id = $1")
                .execute(Tuple.of(id, OffsetDateTime.now()))
                .subscribe()
                .with(ok -> {}, e -> LOG.warnf("Could not record the last use of key %s: %s", id, e.getMessage()));
    }
}
