package dev.omnirag.server.api;

import java.util.UUID;

/** Path ids: anything that is not a UUID cannot exist, so it is a 404 like any unknown id. */
final class Ids {
    private Ids() {}

    static UUID parse(String what, String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound(what, id);
        }
    }
}
