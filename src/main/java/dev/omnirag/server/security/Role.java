package dev.omnirag.server.security;

import java.util.Arrays;
import java.util.Locale;

/** What a key may do in one collection; each role includes the ones before it. */
public enum Role {
    /** Search, ask, chat, read documents, their pages and jobs. */
    READ,
    /** Also upload and delete documents. */
    WRITE,
    /** Also rename or delete the collection and manage its grants. */
    ADMIN;

    /** Whether this role allows what {@code needed} allows. */
    public boolean covers(Role needed) {
        return ordinal() >= needed.ordinal();
    }

    /** The name on the wire and in the database: read, write, admin. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a role from the wire; the message names the field and the value. */
    public static Role parse(String field, String value) {
        if (value != null) {
            for (Role r : values()) {
                if (r.wire().equals(value.strip().toLowerCase(Locale.ROOT))) {
                    return r;
                }
            }
        }
        throw new IllegalArgumentException(field + " must be one of "
                + Arrays.stream(values()).map(Role::wire).toList() + "; " + field + "=" + value);
    }
}
