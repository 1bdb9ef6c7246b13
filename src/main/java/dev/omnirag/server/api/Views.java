package dev.omnirag.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnirag.index.BoundingBox;
import dev.omnirag.index.Locator;
import dev.omnirag.index.SearchHit;
import dev.omnirag.server.db.CollectionEntity;
import dev.omnirag.server.db.DocumentEntity;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Response bodies of the API. */
public final class Views {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Views() {}

    /**
     * {@code nativeSpace}/{@code nativeDimensions}: the multimodal space fixed at creation, absent when none;
     * {@code companionSpace}/{@code companionDimensions}: the companion text space, absent when none;
     * {@code documents}: how many documents it holds, by status (a client need not list them to count them).
     */
    public record CollectionView(
            UUID id,
            String name,
            String description,
            String embeddingSpace,
            int dimensions,
            OffsetDateTime createdAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) String nativeSpace,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer nativeDimensions,
            @JsonInclude(JsonInclude.Include.NON_NULL) String companionSpace,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer companionDimensions,
            dev.omnirag.server.db.DocumentCounts.Counts documents) {
        static CollectionView of(CollectionEntity c, dev.omnirag.server.db.DocumentCounts.Counts documents) {
            return new CollectionView(
                    c.id,
                    c.name,
                    c.description,
                    c.embeddingSpace,
                    c.dimensions,
                    c.createdAt,
                    c.nativeSpace,
                    c.nativeDimensions,
                    c.companionSpace,
                    c.companionDimensions,
                    documents);
        }
    }

    public record CollectionList(List<CollectionView> collections) {}

    public record DocumentView(
            UUID id,
            UUID collectionId,
            String filename,
            String mediaType,
            long sizeBytes,
            String sha256,
            JsonNode metadata,
            String status,
            String error,
            int chunkCount,
            Integer pageCount,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {
        static DocumentView of(DocumentEntity d) {
            JsonNode metadata;
            try {
                metadata = JSON.readTree(d.metadata == null ? "{}" : d.metadata);
            } catch (Exception e) {
                metadata = JSON.createObjectNode();
            }
            return new DocumentView(
                    d.id,
                    d.collectionId,
                    d.filename,
                    d.mediaType,
                    d.sizeBytes,
                    d.sha256,
                    metadata,
                    d.status,
                    d.error,
                    d.chunkCount,
                    d.pageCount,
                    d.createdAt,
                    d.updatedAt);
        }
    }

    public record DocumentList(List<DocumentView> documents) {}

    public record JobView(
            UUID id,
            UUID documentId,
            UUID collectionId,
            String status,
            double progress,
            String message,
            String error,
            OffsetDateTime createdAt,
            OffsetDateTime startedAt,
            OffsetDateTime finishedAt,
            String worker,
            int attempts) {}

    public record UploadView(UUID documentId, UUID jobId, String status, boolean duplicate) {}

    /**
     * Where a chunk or quote is: page and characters; for OCR'd pages and images the box {x, y, w, h} normalised to
     * the page (0..1, origin top-left); for recordings startMs/endMs; for spreadsheets the sheet's name ({@code page}
     * is its number). Absent fields do not apply.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LocatorView(
            Integer page,
            Integer charStart,
            Integer charEnd,
            BoundingBox bbox,
            Long startMs,
            Long endMs,
            String sheet) {
        static LocatorView of(Locator l) {
            return l == null
                    ? null
                    : new LocatorView(
                            l.page(), l.charStart(), l.charEnd(), l.bbox(), l.startMs(), l.endMs(), l.sheet());
        }
    }

    /** {@code highlight}: for OCR'd and transcribed chunks, the line that best matches the query (its box or time). */
    public record ResultView(
            String chunkId,
            String documentId,
            String filename,
            String mediaType,
            double score,
            String text,
            LocatorView locator,
            Map<String, String> metadata,
            @JsonInclude(JsonInclude.Include.NON_NULL) LocatorView highlight) {
        static ResultView of(SearchHit h) {
            return of(h, null);
        }

        static ResultView of(SearchHit h, Locator highlight) {
            return new ResultView(
                    h.chunkId(),
                    h.documentId(),
                    h.filename(),
                    h.mediaType(),
                    h.score(),
                    h.text(),
                    LocatorView.of(h.locator()),
                    h.metadata(),
                    LocatorView.of(highlight));
        }
    }

    /**
     * A search response. {@code feedback}: whether the query vector was moved by pseudo-relevance feedback;
     * {@code rerank}: the reranker asked for (none, local, mllm); {@code rerankFailure}: why
     * it could not judge and the first-stage order stands (absent when it worked).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SearchView(
            List<ResultView> results,
            String mode,
            String fusion,
            boolean feedback,
            String rerank,
            String rerankFailure,
            long tookMs,
            String profile) {}

    /**
     * A citation: the chunk and the quoted characters of its page; {@code claim}: the answer sentence it is
     * attached to; {@code verified}: the source was checked to support the claim; {@code verbatim}: the claim is the
     * source's own words (always for extractive answers, not for a model's paraphrase); {@code support}:
     * {@code strong} or {@code weak}, how strongly the passage bears on the question (the extractive generator's
     * relevance against its answer threshold, or a model citation's verification); {@code supportScore}: the
     * verification's score in 0..1.
     */
    public record CitationView(
            int n,
            String chunkId,
            String documentId,
            String filename,
            String mediaType,
            LocatorView locator,
            String quote,
            String claim,
            boolean verified,
            boolean verbatim,
            String support,
            double supportScore) {}

    /**
     * An answer. {@code grounded}: share of its sentences backed by a verified citation; {@code fallback} and
     * {@code fallbackReason}: present when the LLM generator failed and the extractive one answered.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AskView(
            String answer,
            List<CitationView> citations,
            double grounded,
            String generator,
            Boolean fallback,
            String fallbackReason,
            String rerank,
            String rerankFailure,
            String conversationId,
            Integer turn) {
        AskView(
                String answer,
                List<CitationView> citations,
                double grounded,
                String generator,
                Boolean fallback,
                String fallbackReason,
                String rerank,
                String rerankFailure) {
            this(answer, citations, grounded, generator, fallback, fallbackReason, rerank, rerankFailure, null, null);
        }

        /** This answer as turn {@code n} of a conversation. */
        AskView inConversation(java.util.UUID conversation, int n) {
            return new AskView(
                    answer,
                    citations,
                    grounded,
                    generator,
                    fallback,
                    fallbackReason,
                    rerank,
                    rerankFailure,
                    conversation.toString(),
                    n);
        }
    }

    /** A conversation without its turns. */
    public record ConversationView(
            String id,
            String collectionId,
            String title,
            java.time.OffsetDateTime createdAt,
            java.time.OffsetDateTime updatedAt) {
        static ConversationView of(dev.omnirag.server.db.ConversationEntity c) {
            return new ConversationView(c.id.toString(), c.collectionId.toString(), c.title, c.createdAt, c.updatedAt);
        }
    }

    /** One turn: the question, the answer and its citations as returned then, and the reader's rating. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TurnView(
            int n,
            String question,
            String answer,
            com.fasterxml.jackson.databind.JsonNode citations,
            String generator,
            long tookMs,
            String feedback,
            String feedbackText,
            java.time.OffsetDateTime createdAt) {
        static TurnView of(dev.omnirag.server.db.TurnEntity t) {
            com.fasterxml.jackson.databind.JsonNode citations;
            try {
                citations = JSON.readTree(t.citations);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("turn " + t.n + " holds unreadable citations", e);
            }
            String feedback = t.feedback == null ? null : t.feedback > 0 ? "up" : "down";
            return new TurnView(
                    t.n, t.question, t.answer, citations, t.generator, t.tookMs, feedback, t.feedbackText, t.createdAt);
        }
    }

    /** A conversation with its turns, oldest first. */
    public record ConversationDetail(
            String id,
            String collectionId,
            String title,
            java.time.OffsetDateTime createdAt,
            java.time.OffsetDateTime updatedAt,
            List<TurnView> turns) {
        static ConversationDetail of(
                dev.omnirag.server.db.ConversationEntity c, List<dev.omnirag.server.db.TurnEntity> turns) {
            return new ConversationDetail(
                    c.id.toString(),
                    c.collectionId.toString(),
                    c.title,
                    c.createdAt,
                    c.updatedAt,
                    turns.stream().map(TurnView::of).toList());
        }
    }
}
