package dev.omnirag.server.api;

import dev.omnirag.server.api.validation.AtMost;
import dev.omnirag.server.api.validation.NoControlCharacters;
import dev.omnirag.server.api.validation.OneOf;
import dev.omnirag.server.conversations.Conversations;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Request bodies of the API. Their fields are checked by Bean Validation (constraints of
 * {@link dev.omnirag.server.api.validation}, resources declare the body {@code @Valid}); constructors only normalise
 * (strip names, fill defaults). Limits that come from configuration ({@code k}, the query length) are checked by the
 * resource that knows them.
 */
public final class Requests {

    private Requests() {}

    /** Longest collection or key name. */
    public static final int MAX_NAME = 200;

    /** Longest description or feedback comment. */
    public static final int MAX_TEXT = 4000;

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }

    /**
     * {@link NoControlCharacters} for a value outside a request record (a form field, a file name): a 400 naming the
     * field. Returns the value.
     */
    public static String oneLine(String field, String value) {
        return refuseControlCharacters(field, value, false);
    }

    /** As {@link #oneLine}, but tabs and line breaks are allowed (descriptions, metadata values). */
    public static String multiLine(String field, String value) {
        return refuseControlCharacters(field, value, true);
    }

    private static String refuseControlCharacters(String field, String value, boolean lineBreaks) {
        String refusal = NoControlCharacters.Check.refusal(field, value, lineBreaks);
        if (refusal != null) {
            throw ApiException.badRequest(refusal);
        }
        return value;
    }

    /** {@code POST /v1/collections}. */
    public record CreateCollection(
            @NotBlank(message = "must not be blank") @NoControlCharacters @AtMost(MAX_NAME)
            String name,

            @NoControlCharacters(lineBreaks = true) @AtMost(MAX_TEXT)
            String description) {
        public CreateCollection {
            name = strip(name);
        }
    }

    /** {@code PATCH /v1/collections/{id}}: each field optional; null means unchanged. */
    public record UpdateCollection(
            // Stripped, so a blank name given is empty; null means unchanged.
            @Size(min = 1, message = "must not be blank") @NoControlCharacters @AtMost(MAX_NAME)
            String name,

            @NoControlCharacters(lineBreaks = true) @AtMost(MAX_TEXT)
            String description) {
        public UpdateCollection {
            name = strip(name);
        }
    }

    /** Search restrictions; every part optional. */
    public record Filter(
            String documentId,
            String mediaType,
            @AtMost(Filter.MAX_METADATA_KEYS) Map<String, String> metadata) {

        /** Metadata conditions one search may carry (each is a clause of the index query). */
        public static final int MAX_METADATA_KEYS = 100;
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
            @Valid Filter filter,
            String imageUrl,
            String rerank,
            Boolean feedback,
            String profile) {}

    /** {@code POST /v1/collections/{id}/ask}; {@code imageUrl}, {@code rerank} and {@code profile} as in {@link Search}. */
    public record Ask(
            String question, Integer k, String imageUrl, String rerank, String profile, String conversationId) {}

    /** {@code POST /v1/collections/{id}/conversations}: the title is optional (the first question names it). */
    public record CreateConversation(
            @NoControlCharacters @AtMost(Conversations.MAX_TITLE)
            String title) {
        public CreateConversation {
            title = strip(title);
        }
    }

    /** {@code PATCH /v1/conversations/{id}}. */
    public record RenameConversation(
            @NotBlank(message = "is required and must not be blank")
            @NoControlCharacters
            @AtMost(Conversations.MAX_TITLE)
            String title) {
        public RenameConversation {
            title = strip(title);
        }
    }

    /** {@code POST /v1/conversations/{id}/turns/{n}/feedback}: {@code rating} up or down, an optional comment. */
    public record Feedback(
            @OneOf({"up", "down"}) String rating,

            @NoControlCharacters(lineBreaks = true) @AtMost(MAX_TEXT)
            String text) {}

    /** One role in {@code POST /v1/keys}: {@code collection} is a collection's id or name. */
    public record GrantSpec(
            @NotBlank(message = "must name a collection (its id or name)") @NoControlCharacters
            String collection,

            @OneOf({"read", "write", "admin"}) String role) {}

    /** {@code POST /v1/keys}. */
    public record CreateKey(
            @NotBlank(message = "must not be blank") @NoControlCharacters @AtMost(MAX_NAME)
            String name,

            Boolean admin,

            @AtMost(1000)
            List<@NotNull(message = "must not be null; give \\{\"collection\", \"role\"\\} objects") @Valid GrantSpec>
                    grants) {
        public CreateKey {
            name = strip(name);
            admin = Boolean.TRUE.equals(admin);
            // Not List.copyOf: a null entry is reported by validation, with its place, not as an exception here.
            grants = grants == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(grants));
        }
    }

    /** {@code PUT /v1/collections/{id}/grants/{keyId}}. */
    public record SetGrant(
            @OneOf({"read", "write", "admin"}) String role) {}
}
