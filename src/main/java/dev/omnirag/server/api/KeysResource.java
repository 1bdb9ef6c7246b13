package dev.omnirag.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.omnirag.server.security.Access;
import dev.omnirag.server.security.ApiKeys;
import dev.omnirag.server.security.Authenticator;
import dev.omnirag.server.security.Principal;
import dev.omnirag.server.security.RequiresCollectionRole;
import dev.omnirag.server.security.Role;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * API keys (global admin only, except {@code GET /v1/keys/me}) and the grants of a collection (global admin or the
 * collection's admin). A new key is shown once, in the answer that creates it; only its SHA-256 is stored.
 *
 * <p>Long because keys, their roles per collection and the last-admin guard are one concern (the {@code api_keys} and
 * {@code collection_grants} tables); each route is a few named SQL steps.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class KeysResource {

    private final Pool pool;
    private final Access access;
    private final Authenticator authenticator;

    KeysResource(Pool pool, Access access, Authenticator authenticator) {
        this.pool = pool;
        this.access = access;
        this.authenticator = authenticator;
    }

    /** A key's role in one collection. */
    public record GrantView(UUID collectionId, String collection, String role) {}

    /** A key as listed: no secret. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record KeyView(
            UUID id,
            String name,
            String prefix,
            boolean admin,
            OffsetDateTime createdAt,
            OffsetDateTime lastUsedAt,
            OffsetDateTime revokedAt,
            List<GrantView> grants) {}

    public record KeyList(List<KeyView> keys) {}

    /** The answer to creating a key: the only time {@code key} is shown. */
    public record CreatedKey(
            UUID id,
            String name,
            String key,
            String prefix,
            boolean admin,
            OffsetDateTime createdAt,
            List<GrantView> grants) {}

    /** The calling key: {@code authEnabled} false when authentication is off (every caller is the admin). */
    public record Me(UUID id, String name, boolean admin, boolean authEnabled, List<GrantView> grants) {}

    /** One grant of a collection, with the key it belongs to. */
    public record CollectionGrant(UUID keyId, String name, String prefix, String role, OffsetDateTime revokedAt) {}

    public record CollectionGrants(UUID collectionId, List<CollectionGrant> grants) {}

    @POST
    @Path("/keys")
    public Uni<Response> create(@Valid Requests.CreateKey body) {
        access.requireAdmin("creating API keys");
        if (body == null) {
            throw ApiException.badRequest("request body is required: {\"name\": \"...\", \"admin\": false, "
                    + "\"grants\": [{\"collection\": \"<id or name>\", \"role\": \"read\"}]}");
        }
        String key = ApiKeys.generate();
        UUID id = UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.now();
        return pool.withTransaction(conn -> resolve(conn, body.grants())
                .call(grants -> insertKey(conn, id, body, key, now))
                .call(grants -> insertGrants(conn, id, grants))
                .map(grants -> Response.created(URI.create("/v1/keys/" + id))
                        .entity(new CreatedKey(
                                id, body.name(), key, ApiKeys.displayPrefix(key), body.admin(), now, dedupe(grants)))
                        .build()));
    }

    private static Uni<Void> insertKey(
            SqlConnection conn, UUID id, Requests.CreateKey body, String key, OffsetDateTime now) {
        return conn.preparedQuery("INSERT INTO api_keys (id, name, key_hash, prefix, admin, created_at) "
                        + "VALUES ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.tuple(
                        List.of(id, body.name(), ApiKeys.hash(key), ApiKeys.displayPrefix(key), body.admin(), now)))
                .replaceWithVoid();
    }

    private static Uni<Void> insertGrants(SqlConnection conn, UUID keyId, List<GrantView> grants) {
        if (grants.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("INSERT INTO collection_grants (key_id, collection_id, role) VALUES ($1, $2, $3) "
                        + "ON CONFLICT (key_id, collection_id) DO UPDATE SET role = EXCLUDED.role")
                .executeBatch(grants.stream()
                        .map(g -> Tuple.of(keyId, g.collectionId(), g.role()))
                        .toList())
                .replaceWithVoid();
    }

    /** The collections named in a request, by id or name; 400 naming the entry when one does not exist. */
    private static Uni<List<GrantView>> resolve(SqlConnection conn, List<Requests.GrantSpec> specs) {
        if (specs.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            indexes.add(i);
        }
        return Multi.createFrom()
                .iterable(indexes)
                .onItem()
                .transformToUniAndConcatenate(i -> {
                    Requests.GrantSpec spec = specs.get(i);
                    return conn.preparedQuery("SELECT id, name FROM collections WHERE id::text = $1 OR name = $1 "
                                    + "ORDER BY (id::text = $1) DESC LIMIT 1")
                            .execute(Tuple.of(spec.collection().strip()))
                            .map(rows -> {
                                var it = rows.iterator();
                                if (!it.hasNext()) {
                                    throw ApiException.badRequest(
                                            "grants[" + i + "].collection: no collection with id or name '"
                                                    + spec.collection() + "'");
                                }
                                Row r = it.next();
                                return new GrantView(
                                        r.getUUID("id"),
                                        r.getString("name"),
                                        Role.parse("grants[" + i + "].role", spec.role())
                                                .wire());
                            });
                })
                .collect()
                .asList();
    }

    /** The last role given for a collection wins (as the upsert does). */
    private static List<GrantView> dedupe(List<GrantView> grants) {
        Map<UUID, GrantView> last = new LinkedHashMap<>();
        grants.forEach(g -> last.put(g.collectionId(), g));
        return List.copyOf(last.values());
    }

    @GET
    @Path("/keys")
    public Uni<KeyList> list() {
        access.requireAdmin("listing API keys");
        return keys(null).map(KeyList::new);
    }

    /** The key making the request: its name, admin flag and grants (the web UI shows them). */
    @GET
    @Path("/keys/me")
    public Uni<Me> me() {
        Principal p = access.principal();
        if (p.keyId() == null) {
            return Uni.createFrom().item(new Me(null, p.name(), true, false, List.of()));
        }
        return keys(p.keyId()).map(found -> {
            KeyView k = found.getFirst();
            return new Me(k.id(), k.name(), k.admin(), true, k.grants());
        });
    }

    @GET
    @Path("/keys/{id}")
    public Uni<KeyView> get(@PathParam("id") String id) {
        access.requireAdmin("reading API keys");
        UUID keyId = Ids.parse("API key", id);
        return keys(keyId).map(found -> {
            if (found.isEmpty()) {
                throw ApiException.notFound("API key", id);
            }
            return found.getFirst();
        });
    }

    /**
     * Revokes the key: it answers 401 from now on (on other replicas within {@code omnirag.auth.cache-ttl}); the
     * row stays, with {@code revokedAt}, for audit. Revoking a revoked key again changes nothing. The last active
     * admin key cannot be revoked (409): nobody could manage keys any more.
     */
    @DELETE
    @Path("/keys/{id}")
    public Uni<Response> revoke(@PathParam("id") String id) {
        access.requireAdmin("revoking API keys");
        UUID keyId = Ids.parse("API key", id);
        return pool.withTransaction(conn -> lockKeys(conn)
                        .chain(() -> keyRow(conn, keyId, id))
                        .chain(row -> row.getOffsetDateTime("revoked_at") != null
                                ? Uni.createFrom().voidItem() // revoked already: nothing changes
                                : notTheLastAdmin(conn, keyId, id, row.getBoolean("admin"))
                                        .chain(() -> markRevoked(conn, keyId))))
                .invoke(() -> authenticator.forget(keyId))
                .map(v -> Response.noContent().build());
    }

    /** Serialises key revocations, so two revocations cannot both see another active admin key. */
    private static Uni<Void> lockKeys(SqlConnection conn) {
        return conn.query("SELECT pg_advisory_xact_lock(" + 0x6f6d7202L + ")")
                .execute()
                .replaceWithVoid();
    }

    private static Uni<Row> keyRow(SqlConnection conn, UUID keyId, String id) {
        return conn.preparedQuery("SELECT admin, revoked_at FROM api_keys WHERE id = $1")
                .execute(Tuple.of(keyId))
                .map(rows -> {
                    var it = rows.iterator();
                    if (!it.hasNext()) {
                        throw ApiException.notFound("API key", id);
                    }
                    return it.next();
                });
    }

    /** Refuses (409) to revoke the last active admin key: nobody could manage keys any more. */
    private static Uni<Void> notTheLastAdmin(SqlConnection conn, UUID keyId, String id, boolean admin) {
        if (!admin) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("SELECT count(*) AS n FROM api_keys WHERE admin AND revoked_at IS NULL AND id <> $1")
                .execute(Tuple.of(keyId))
                .map(n -> {
                    if (n.iterator().next().getLong("n") == 0) {
                        throw new ApiException(
                                409,
                                "key " + id + " is the last active admin key; create another admin key before "
                                        + "revoking it");
                    }
                    return null;
                });
    }

    private static Uni<Void> markRevoked(SqlConnection conn, UUID keyId) {
        return conn.preparedQuery("UPDATE api_keys SET revoked_at = $2 WHERE id = $1")
                .execute(Tuple.of(keyId, OffsetDateTime.now()))
                .replaceWithVoid();
    }

    /** Keys with their grants: all of them, or the one with {@code id}. */
    private Uni<List<KeyView>> keys(UUID id) {
        String sql = "SELECT k.id, k.name, k.prefix, k.admin, k.created_at, k.last_used_at, k.revoked_at, "
                + "g.collection_id, c.name AS collection, g.role FROM api_keys k "
                + "LEFT JOIN collection_grants g ON g.key_id = k.id LEFT JOIN collections c ON c.id = g.collection_id "
                + (id == null ? "" : "WHERE k.id = $1 ") + "ORDER BY k.created_at, k.id, c.name";
        Uni<RowSet<Row>> rows =
                id == null ? pool.query(sql).execute() : pool.preparedQuery(sql).execute(Tuple.of(id));
        return rows.map(all -> {
            Map<UUID, KeyView> keys = new LinkedHashMap<>();
            for (Row r : all) {
                KeyView k = keys.computeIfAbsent(
                        r.getUUID("id"),
                        kid -> new KeyView(
                                kid,
                                r.getString("name"),
                                r.getString("prefix"),
                                r.getBoolean("admin"),
                                r.getOffsetDateTime("created_at"),
                                r.getOffsetDateTime("last_used_at"),
                                r.getOffsetDateTime("revoked_at"),
                                new ArrayList<>()));
                if (r.getUUID("collection_id") != null) {
                    k.grants()
                            .add(new GrantView(
                                    r.getUUID("collection_id"), r.getString("collection"), r.getString("role")));
                }
            }
            return keys.values().stream()
                    .map(k -> new KeyView(
                            k.id(),
                            k.name(),
                            k.prefix(),
                            k.admin(),
                            k.createdAt(),
                            k.lastUsedAt(),
                            k.revokedAt(),
                            List.copyOf(k.grants())))
                    .toList();
        });
    }

    // ---------------------------------------------------------------- grants of a collection

    @GET
    @Path("/collections/{id}/grants")
    public Uni<CollectionGrants> grants(@PathParam("id") String id) {
        UUID collectionId = Ids.parse("collection", id);
        access.requireCollection(collectionId, Role.ADMIN);
        return requireCollectionExists(collectionId, id)
                .flatMap(v -> pool.preparedQuery(
                                "SELECT k.id, k.name, k.prefix, k.revoked_at, g.role FROM collection_grants g "
                                        + "JOIN api_keys k ON k.id = g.key_id WHERE g.collection_id = $1 ORDER BY k.created_at, k.id")
                        .execute(Tuple.of(collectionId)))
                .map(rows -> {
                    List<CollectionGrant> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new CollectionGrant(
                                r.getUUID("id"),
                                r.getString("name"),
                                r.getString("prefix"),
                                r.getString("role"),
                                r.getOffsetDateTime("revoked_at")));
                    }
                    return new CollectionGrants(collectionId, out);
                });
    }

    /** Gives the key a role in the collection, replacing the one it had. */
    @PUT
    @Path("/collections/{id}/grants/{keyId}")
    @RequiresCollectionRole(Role.ADMIN)
    public Uni<CollectionGrant> grant(
            @PathParam("id") String id, @PathParam("keyId") String keyIdText, @Valid Requests.SetGrant body) {
        UUID collectionId = Ids.parse("collection", id);
        access.requireCollection(collectionId, Role.ADMIN);
        UUID keyId = Ids.parse("API key", keyIdText);
        if (body == null) {
            throw ApiException.badRequest("request body is required: {\"role\": \"read|write|admin\"}");
        }
        String role = Role.parse("role", body.role()).wire();
        return requireCollectionExists(collectionId, id)
                .flatMap(v -> pool.preparedQuery("SELECT name, prefix, revoked_at FROM api_keys WHERE id = $1")
                        .execute(Tuple.of(keyId)))
                .flatMap(rows -> {
                    var it = rows.iterator();
                    if (!it.hasNext()) {
                        return Uni.createFrom().failure(ApiException.notFound("API key", keyIdText));
                    }
                    Row k = it.next();
                    return pool.preparedQuery(
                                    "INSERT INTO collection_grants (key_id, collection_id, role) VALUES ($1, $2, $3) "
                                            + "ON CONFLICT (key_id, collection_id) DO UPDATE SET role = EXCLUDED.role")
                            .execute(Tuple.of(keyId, collectionId, role))
                            .map(v -> new CollectionGrant(
                                    keyId,
                                    k.getString("name"),
                                    k.getString("prefix"),
                                    role,
                                    k.getOffsetDateTime("revoked_at")));
                })
                .invoke(() -> authenticator.forget(keyId));
    }

    @DELETE
    @Path("/collections/{id}/grants/{keyId}")
    public Uni<Response> ungrant(@PathParam("id") String id, @PathParam("keyId") String keyIdText) {
        UUID collectionId = Ids.parse("collection", id);
        access.requireCollection(collectionId, Role.ADMIN);
        UUID keyId = Ids.parse("API key", keyIdText);
        return pool.preparedQuery("DELETE FROM collection_grants WHERE key_id = $1 AND collection_id = $2")
                .execute(Tuple.of(keyId, collectionId))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new ApiException(404, "key " + keyIdText + " has no role in collection " + id);
                    }
                    authenticator.forget(keyId);
                    return Response.noContent().build();
                });
    }

    private Uni<Void> requireCollectionExists(UUID collectionId, String id) {
        return pool.preparedQuery("SELECT 1 FROM collections WHERE id = $1")
                .execute(Tuple.of(collectionId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("collection", id);
                    }
                    return null;
                });
    }
}
