package dev.omnirag.server.api;

import dev.omnirag.server.db.CollectionEntity;
import io.smallrye.mutiny.Uni;
import java.util.UUID;

/**
 * The collection an {@code omnirag:<ref>} model names: {@code ref} is the collection's id (stable: a saved model
 * choice survives a rename) or its name (an alias that follows renames).
 */
final class RagModels {

    private RagModels() {}

    /** The collection {@code ref} names, or null; call inside a reactive session. */
    static Uni<CollectionEntity> find(String ref) {
        UUID id = uuid(ref);
        if (id != null) {
            return CollectionEntity.<CollectionEntity>findById(id)
                    .flatMap(c -> c != null
                            ? Uni.createFrom().item(c)
                            : CollectionEntity.<CollectionEntity>find("name", ref)
                                    .firstResult());
        }
        return CollectionEntity.<CollectionEntity>find("name", ref).firstResult();
    }

    /** The collection {@code ref} names, or null, with a blocking read. */
    static CollectionEntity findBlocking(dev.omnirag.server.db.Db db, String ref) {
        return db.read(() -> find(ref));
    }

    private static UUID uuid(String ref) {
        if (ref.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(ref);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
