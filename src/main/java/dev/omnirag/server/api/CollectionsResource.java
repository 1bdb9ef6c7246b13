package dev.omnirag.server.api;

import dev.omnirag.embeddings.Embedder;
import dev.omnirag.server.api.Views.CollectionList;
import dev.omnirag.server.api.Views.CollectionView;
import dev.omnirag.server.db.CollectionEntity;
import dev.omnirag.server.db.Db;
import dev.omnirag.server.db.DocumentCounts;
import dev.omnirag.server.db.DocumentEntity;
import dev.omnirag.server.ingest.BlobStore;
import dev.omnirag.server.pages.PageImages;
import dev.omnirag.server.search.CollectionIndexes;
import dev.omnirag.server.security.Access;
import dev.omnirag.server.security.Principal;
import dev.omnirag.server.security.RequiresCollectionRole;
import dev.omnirag.server.security.Role;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Collections: create, list, read, rename, delete (with their documents, index and unshared blobs). Creating one
 * needs the global admin role; listing shows the collections the key has a role in; renaming and deleting need the
 * collection's admin role.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CollectionsResource {

    private static final Logger LOG = Logger.getLogger(CollectionsResource.class);

    private final Embedder embedder;
    private final dev.omnirag.server.search.EmbeddingSpaces spaces;
    private final CollectionIndexes indexes;
    private final BlobStore blobs;
    private final Db db;
    private final PageImages pages;
    private final Access access;
    private final DocumentCounts counts;

    CollectionsResource(
            Embedder embedder,
            CollectionIndexes indexes,
            BlobStore blobs,
            Db db,
            PageImages pages,
            dev.omnirag.server.search.EmbeddingSpaces spaces,
            Access access,
            DocumentCounts counts) {
        this.access = access;
        this.counts = counts;
        this.embedder = embedder;
        this.spaces = spaces;
        this.indexes = indexes;
        this.blobs = blobs;
        this.db = db;
        this.pages = pages;
    }

    @POST
    @Path("/collections")
    public Uni<Response> create(@Valid Requests.CreateCollection body) {
        access.requireAdmin("creating a collection");
        if (body == null) {
            throw ApiException.badRequest("request body is required: {\"name\": \"...\"}");
        }
        return Panache.withTransaction(() -> CollectionEntity.count("name", body.name())
                .invoke(existing -> refuseTakenName(existing, body.name()))
                .replaceWith(() -> newCollection(body))
                .call(c -> c.persist())
                .map(c -> Response.created(URI.create("/v1/collections/" + c.id))
                        .entity(CollectionView.of(c, DocumentCounts.Counts.NONE))
                        .build()));
    }

    private static void refuseTakenName(long collectionsWithIt, String name) {
        if (collectionsWithIt > 0) {
            throw new ApiException(409, "a collection named '" + name + "' already exists");
        }
    }

    /** A new collection in the embedding spaces this server embeds with now. */
    private CollectionEntity newCollection(Requests.CreateCollection body) {
        CollectionEntity c = new CollectionEntity();
        c.id = UUID.randomUUID();
        c.name = body.name();
        c.description = body.description();
        c.embeddingSpace = embedder.spaceName();
        c.dimensions = embedder.dimensions();
        spaces.multimodal().ifPresent(m -> {
            c.nativeSpace = m.spaceName();
            c.nativeDimensions = m.dimensions();
        });
        spaces.companion().ifPresent(m -> {
            c.companionSpace = m.spaceName();
            c.companionDimensions = m.dimensions();
        });
        c.createdAt = OffsetDateTime.now();
        return c;
    }

    @GET
    @Path("/collections")
    public Uni<CollectionList> list() {
        Principal p = access.principal();
        return Panache.withSession(() -> CollectionEntity.<CollectionEntity>list("order by createdAt"))
                .map(all -> all.stream().filter(c -> p.canSee(c.id)).toList())
                .flatMap(visible -> counts.of(visible.stream().map(c -> c.id).toList())
                        .map(n -> new CollectionList(visible.stream()
                                .map(c -> CollectionView.of(c, n.get(c.id)))
                                .toList())));
    }

    @GET
    @Path("/collections/{id}")
    public Uni<CollectionView> get(@PathParam("id") String id) {
        UUID uuid = Ids.parse("collection", id);
        access.requireCollection(uuid, Role.READ);
        return Panache.withSession(() -> CollectionEntity.<CollectionEntity>findById(uuid))
                .map(c -> {
                    if (c == null) {
                        throw ApiException.notFound("collection", id);
                    }
                    return c;
                })
                .flatMap(c -> counts.of(c.id).map(n -> CollectionView.of(c, n)));
    }

    /**
     * Renames a collection and/or changes its description; fields left out (or null) stay as they are, an empty
     * description clears it. 409 when another collection has the new name.
     */
    @PATCH
    @Path("/collections/{id}")
    @RequiresCollectionRole(Role.ADMIN)
    public Uni<CollectionView> update(@PathParam("id") String id, @Valid Requests.UpdateCollection body) {
        UUID uuid = Ids.parse("collection", id);
        access.requireCollection(uuid, Role.ADMIN);
        if (body == null || (body.name() == null && body.description() == null)) {
            throw ApiException.badRequest("nothing to change: give \"name\" and/or \"description\"");
        }
        return Panache.withTransaction(() -> CollectionEntity.<CollectionEntity>findById(uuid)
                        .onItem()
                        .ifNull()
                        .failWith(() -> ApiException.notFound("collection", id))
                        .call(c -> body.name() == null || body.name().equals(c.name)
                                ? Uni.createFrom().voidItem()
                                : CollectionEntity.count("name = ?1 and id <> ?2", body.name(), uuid)
                                        .invoke(n -> refuseTakenName(n, body.name())))
                        .map(c -> {
                            if (body.name() != null) {
                                c.name = body.name();
                            }
                            if (body.description() != null) {
                                c.description = body.description().isEmpty() ? null : body.description();
                            }
                            return c;
                        }))
                .flatMap(c -> counts.of(c.id).map(n -> CollectionView.of(c, n)));
    }

    /** Deletes the collection, its documents and index; blobs no other collection uses are removed. Blocking. */
    @DELETE
    @Path("/collections/{id}")
    public Response delete(@PathParam("id") String id) {
        UUID uuid = Ids.parse("collection", id);
        access.requireCollection(uuid, Role.ADMIN);
        List<String> hashes = db.tx(() -> CollectionEntity.<CollectionEntity>findById(uuid)
                .onItem()
                .ifNull()
                .failWith(() -> ApiException.notFound("collection", id))
                .flatMap(c -> DocumentEntity.<DocumentEntity>list("collectionId", uuid)
                        .call(docs -> c.delete()))
                .map(docs -> docs.stream().map(d -> d.sha256).distinct().toList()));
        indexes.drop(uuid);
        for (String sha : hashes) {
            long users = db.read(() -> DocumentEntity.count("sha256", sha));
            if (users == 0) {
                try {
                    blobs.delete(sha);
                    pages.evict(sha);
                } catch (IOException e) {
                    LOG.warnf("could not delete blob %s: %s", sha, e.getMessage());
                }
            }
        }
        return Response.noContent().build();
    }
}
