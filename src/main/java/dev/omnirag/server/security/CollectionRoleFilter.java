package dev.omnirag.server.security;

import dev.omnirag.server.api.ApiException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Checks {@link RequiresCollectionRole} after routing, before the body is read: 404 for a collection the caller may
 * not see, 403 for a role too low (as {@link Access} answers). Request filters run before Quarkus REST reads a
 * body, multipart uploads included, so a refused upload is never stored.
 */
public class CollectionRoleFilter {

    private final Access access;

    CollectionRoleFilter(Access access) {
        this.access = access;
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public void check(ResourceInfo resource, UriInfo uri) {
        RequiresCollectionRole required = resource.getResourceMethod() == null
                ? null
                : resource.getResourceMethod().getAnnotation(RequiresCollectionRole.class);
        if (required == null) {
            return;
        }
        String id = uri.getPathParameters().getFirst("id");
        UUID collectionId;
        try {
            collectionId = UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            // As the method would answer, but before the body is read.
            throw ApiException.notFound("collection", id);
        }
        access.requireCollection(collectionId, required.value());
    }
}
