package dev.omnirag.server.security;

import dev.omnirag.server.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The authorization checks every resource makes. A collection the caller may not see answers exactly like one that
 * does not exist (404, same detail), so that a key learns nothing about collections outside its grants; a visible
 * collection where the caller's role is too low answers 403.
 */
@ApplicationScoped
public class Access {

    private final CurrentPrincipal current;

    Access(CurrentPrincipal current) {
        this.current = current;
    }

    /**
     * The caller of the current request. Take it on the request's thread and pass it into reactive or transaction
     * lambdas that run elsewhere.
     */
    public Principal principal() {
        Principal p = current.get();
        if (p == null) {
            // Every /v1 request passes AuthFilter; reaching here without a principal is a wiring bug, refuse.
            throw new ApiException(401, "no API key was checked for this request");
        }
        return p;
    }

    /** Requires {@code role} in the collection for the current caller; 404 when it may not see it. */
    public Principal requireCollection(UUID collectionId, Role role) {
        Principal p = principal();
        require(p, collectionId, role, () -> ApiException.notFound("collection", collectionId));
        return p;
    }

    /** Requires the global admin role. */
    public Principal requireAdmin(String action) {
        Principal p = principal();
        if (!p.admin()) {
            throw new ApiException(
                    403, action + " needs the global admin role; key '" + p.name() + "' is not an admin");
        }
        return p;
    }

    /**
     * Requires that {@code p} may read a document's original file or page images: the read role in its collection,
     * or a signed link to exactly this document.
     */
    public static void requireDocumentFile(
            Principal p, UUID collectionId, UUID documentId, Supplier<? extends RuntimeException> hidden) {
        if (p.linkedDocument() != null) {
            if (!p.linkedDocument().equals(documentId)) {
                throw hidden.get();
            }
            return;
        }
        require(p, collectionId, Role.READ, hidden);
    }

    /**
     * Requires {@code role} in a collection for {@code p}: {@code hidden} (the 404 of the thing asked for) when the
     * collection is not visible to it, 403 when its role there is too low.
     */
    public static void require(Principal p, UUID collectionId, Role role, Supplier<? extends RuntimeException> hidden) {
        Role has = p.role(collectionId).orElseThrow(hidden);
        if (!has.covers(role)) {
            throw new ApiException(
                    403,
                    "key '" + p.name() + "' has the " + has.wire() + " role in collection " + collectionId
                            + "; this needs " + role.wire());
        }
    }
}
