package dev.omnirag.server.security;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Who is calling: an API key with its global admin flag and its roles per collection.
 *
 * @param keyId the key's id; null for {@link #unrestricted()} (authentication disabled)
 * @param name the key's name
 * @param admin whether the key is a global admin (manages keys and collections, sees everything)
 * @param grants roles per collection id
 * @param linkedDocument the one document a signed link opens ({@link LinkSigner}); null for API keys
 */
public record Principal(UUID keyId, String name, boolean admin, Map<UUID, Role> grants, UUID linkedDocument) {

    public Principal {
        Objects.requireNonNull(name, "name");
        grants = grants == null ? Map.of() : Map.copyOf(grants);
    }

    /** An API key's caller. */
    public Principal(UUID keyId, String name, boolean admin, Map<UUID, Role> grants) {
        this(keyId, name, admin, grants, null);
    }

    /** The caller of a signed link: no role anywhere; it reads the original file and page images of one document. */
    public static Principal signedLink(UUID document) {
        return new Principal(null, "signed link to document " + document, false, Map.of(), document);
    }

    /** The caller when authentication is disabled: everything is allowed. */
    public static Principal unrestricted() {
        return new Principal(null, "(authentication disabled)", true, Map.of());
    }

    /** The role the caller has in a collection: every role for a global admin, empty when it may not see it. */
    public Optional<Role> role(UUID collectionId) {
        return admin ? Optional.of(Role.ADMIN) : Optional.ofNullable(grants.get(collectionId));
    }

    /** Whether the collection is visible to the caller at all. */
    public boolean canSee(UUID collectionId) {
        return role(collectionId).isPresent();
    }
}
