package dev.omnirag.server.api;

import java.util.Map;

/** Request bodies of the API; each validates what it can in its constructor (messages name the field). */
public final class Requests {

    private Requests() {}

    /**
     * Refuses control characters in a one-line text field (names), naming the field: NUL cannot be stored at all
     * (PostgreSQL text), and the others only make names that cannot be read or typed. Returns the value.
     */
    public static String oneLine(String field, String value) {
        if (value != null) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < 0x20 || c == 0x7f) {
                    throw new IllegalArgumentException(field + " must not contain control characters (such as NUL or a "
                            + "line break); found U+" + String.format("%04X", (int) c) + " at position " + i);
                }
            }
        }
        return value;
    }

    /** As {@link #oneLine}, but tabs and line breaks are allowed (descriptions). */
    public static String multiLine(String field, String value) {
        if (value != null) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
                    throw new IllegalArgumentException(field + " must not contain control characters (such as NUL); "
                            + "found U+" + String.format("%04X", (int) c) + " at position " + i);
                }
            }
        }
        return value;
    }

    /** {@code POST /v1/collections}. */
    public record CreateCollection(String name, String description) {
        public CreateCollection {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            name = oneLine("name", name.strip());
            multiLine("description", description);
            if (name.length() > 200) {
                throw new IllegalArgumentException("name must be at most 200 characters; length=" + name.length());
            }
            if (description != null && description.length() > 4000) {
                throw new IllegalArgumentException(
                        "description must be at most 4000 characters; length=" + description.length());
            }
        }
    }

    /** {@code PATCH /v1/collections/{id}}: each field optional; null means unchanged. */
    public record UpdateCollection(String name, String description) {
        public UpdateCollection {
            multiLine("description", description);
            if (name != null) {
                if (name.isBlank()) {
                    throw new IllegalArgumentException("name must not be blank");
                }
                name = oneLine("name", name.strip());
                if (name.length() > 200) {
                    throw new IllegalArgumentException("name must be at most 200 characters; length=" + name.length());
                }
            }
            if (description != null && description.length() > 4000) {
                throw new IllegalArgumentException(
                        "description must be at most 4000 characters; length=" + description.length());
            }
        }
    }

    /** Search restrictions; every part optional. */
    public record Filter(String documentId, String mediaType, Map<String, String> metadata) {

        /** Metadata conditions one search may carry (each is a clause of the index query). */
        public static final int MAX_METADATA_KEYS = 100;

        public Filter {
            if (metadata != null && metadata.size() > MAX_METADATA_KEYS) {
                throw new IllegalArgumentException(
                        "filter.metadata may hold at most " + MAX_METADATA_KEYS + " keys; it holds " + metadata.size());
            }
        }
    }

    /**
     * {@code POST /v1/collections/{id}/search}. Defaults are applied by the resource. {@code imageUrl}: an image
     * query as a data URL ({@code data:image/png;base64,...}) or plain base64, alone or with {@code query};
     * {@code rerank}: none, local or mllm (default {@code omnirag.reranker.default}); {@code profile}: fast or quality
     * (default {@code omnirag.search.profile}), whose options {@code fusion} and {@code feedback} override.
     */
    public record Search(
            String query,
            Integer k,
            String mode,
            String fusion,
            Filter filter,
            String imageUrl,
            String rerank,
            Boolean feedback,
            String profile) {}

    /** {@code POST /v1/collections/{id}/ask}; {@code imageUrl}, {@code rerank} and {@code profile} as in {@link Search}. */
    public record Ask(
            String question, Integer k, String imageUrl, String rerank, String profile, String conversationId) {}

    /** {@code POST /v1/collections/{id}/conversations}: the title is optional (the first question names it). */
    public record CreateConversation(String title) {
        public CreateConversation {
            title = title == null ? null : oneLine("title", title.strip());
            if (title != null && title.length() > dev.omnirag.server.conversations.Conversations.MAX_TITLE) {
                throw new IllegalArgumentException(
                        "title must be at most " + dev.omnirag.server.conversations.Conversations.MAX_TITLE
                                + " characters; length=" + title.length());
            }
        }
    }

    /** {@code PATCH /v1/conversations/{id}}. */
    public record RenameConversation(String title) {
        public RenameConversation {
            if (title == null || title.isBlank()) {
                throw new IllegalArgumentException("title is required and must not be blank");
            }
            title = oneLine("title", title.strip());
            if (title.length() > dev.omnirag.server.conversations.Conversations.MAX_TITLE) {
                throw new IllegalArgumentException(
                        "title must be at most " + dev.omnirag.server.conversations.Conversations.MAX_TITLE
                                + " characters; length=" + title.length());
            }
        }
    }

    /** {@code POST /v1/conversations/{id}/turns/{n}/feedback}: {@code rating} up or down, an optional comment. */
    public record Feedback(String rating, String text) {
        public Feedback {
            if (rating == null || !(rating.equals("up") || rating.equals("down"))) {
                throw new IllegalArgumentException("rating must be up or down; rating=" + rating);
            }
            multiLine("text", text);
            if (text != null && text.length() > 4000) {
                throw new IllegalArgumentException("text must be at most 4000 characters; length=" + text.length());
            }
        }
    }

    /** One role in {@code POST /v1/keys}: {@code collection} is a collection's id or name. */
    public record GrantSpec(String collection, String role) {
        public GrantSpec {
            if (collection == null || collection.isBlank()) {
                throw new IllegalArgumentException("grants[].collection must name a collection (its id or name)");
            }
            oneLine("grants[].collection", collection);
            dev.omnirag.server.security.Role.parse("grants[].role", role);
        }
    }

    /** {@code POST /v1/keys}. */
    public record CreateKey(String name, Boolean admin, java.util.List<GrantSpec> grants) {
        public CreateKey {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            name = oneLine("name", name.strip());
            if (name.length() > 200) {
                throw new IllegalArgumentException("name must be at most 200 characters; length=" + name.length());
            }
            admin = Boolean.TRUE.equals(admin);
            if (grants != null && grants.contains(null)) {
                throw new IllegalArgumentException(
                        "grants must not contain null; give {\"collection\", \"role\"} objects");
            }
            grants = grants == null ? java.util.List.of() : java.util.List.copyOf(grants);
            if (grants.size() > 1000) {
                throw new IllegalArgumentException("grants may hold at most 1000 entries; it holds " + grants.size());
            }
        }
    }

    /** {@code PUT /v1/collections/{id}/grants/{keyId}}. */
    public record SetGrant(String role) {
        public SetGrant {
            dev.omnirag.server.security.Role.parse("role", role);
        }
    }
}
