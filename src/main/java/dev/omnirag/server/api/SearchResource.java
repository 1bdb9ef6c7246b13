package dev.omnirag.server.api;

import dev.omnirag.index.Fusion;
import dev.omnirag.index.SearchFilter;
import dev.omnirag.index.SearchHit;
import dev.omnirag.index.SearchMode;
import dev.omnirag.server.api.Views.AskView;
import dev.omnirag.server.api.Views.CitationView;
import dev.omnirag.server.api.Views.LocatorView;
import dev.omnirag.server.api.Views.ResultView;
import dev.omnirag.server.api.Views.SearchView;
import dev.omnirag.server.config.SearchConfig;
import dev.omnirag.server.db.CollectionEntity;
import dev.omnirag.server.db.ConversationEntity;
import dev.omnirag.server.db.Db;
import dev.omnirag.server.search.AskService;
import dev.omnirag.server.search.ChunkLayouts;
import dev.omnirag.server.search.SearchProfile;
import dev.omnirag.server.search.SearchService;
import dev.omnirag.server.security.Access;
import dev.omnirag.server.security.Principal;
import dev.omnirag.server.security.RequiresCollectionRole;
import dev.omnirag.server.security.Role;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** Search and cited answers over one collection. Blocking: both embed the query and search Lucene. *
 * <p>Long because search takes text, image and hybrid queries with filters, rerankers and profiles, and answers in
 * one shape for all.
 */
@Path("/v1")
@Consumes(MediaType.APPLICATION_JSON)
public class SearchResource {

    private static final Logger LOG = Logger.getLogger(SearchResource.class);

    private final Db db;
    private final SearchService search;
    private final AskService ask;
    private final SearchConfig config;
    private final ImageQueries images;
    private final ChunkLayouts layouts;
    private final Access access;

    private final dev.omnirag.server.conversations.Conversations conversations;

    SearchResource(
            Db db,
            SearchService search,
            AskService ask,
            SearchConfig config,
            ImageQueries images,
            ChunkLayouts layouts,
            Access access,
            dev.omnirag.server.conversations.Conversations conversations) {
        this.conversations = conversations;
        this.access = access;
        this.db = db;
        this.search = search;
        this.ask = ask;
        this.config = config;
        this.images = images;
        this.layouts = layouts;
    }

    @POST
    @Path("/collections/{id}/search")
    @RequiresCollectionRole(Role.READ)
    @Produces(MediaType.APPLICATION_JSON)
    public SearchView search(@PathParam("id") String id, @Valid Requests.Search body) {
        access.requireCollection(Ids.parse("collection", id), Role.READ);
        if (body == null) {
            throw ApiException.badRequest("request body is required: {\"query\": \"...\"}");
        }
        BufferedImage image = body.imageUrl() == null ? null : images.fromDataUrl("imageUrl", body.imageUrl());
        return search(
                id,
                body.query(),
                image,
                body.k(),
                body.mode(),
                body.fusion(),
                body.filter(),
                body.rerank(),
                body.feedback(),
                body.profile());
    }

    /**
     * Search with an uploaded image (multipart part {@code image}), alone or with {@code query}; the other fields
     * ({@code k}, {@code mode}, {@code fusion}) are form fields.
     */
    @POST
    @Path("/collections/{id}/search")
    @RequiresCollectionRole(Role.READ)
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    public SearchView searchMultipart(
            @PathParam("id") String id,
            @RestForm("image") FileUpload image,
            @RestForm("query") String query,
            @RestForm("k") Integer k,
            @RestForm("mode") String mode,
            @RestForm("fusion") String fusion,
            @RestForm("rerank") String rerank,
            @RestForm("feedback") Boolean feedback,
            @RestForm("profile") String profile) {
        access.requireCollection(Ids.parse("collection", id), Role.READ);
        BufferedImage decoded =
                image == null || image.uploadedFile() == null ? null : images.fromFile("image", image.uploadedFile());
        return search(id, query, decoded, k, mode, fusion, null, rerank, feedback, profile);
    }

    private SearchView search(
            String id,
            String queryText,
            BufferedImage image,
            Integer requestedK,
            String modeName,
            String fusionName,
            Requests.Filter requestFilter,
            String rerank,
            Boolean requestFeedback,
            String profileName) {
        String query = image == null ? requireText("query", queryText) : optionalText("query", queryText);
        int k = k(requestedK, config.defaultK());
        SearchMode mode = parse(SearchMode.class, "mode", modeName, SearchMode.HYBRID);
        SearchProfile profile = parse(SearchProfile.class, "profile", profileName, config.profile());
        Fusion fusion = parse(Fusion.class, "fusion", fusionName, profile.fusion(config));
        SearchFilter filter = requestFilter == null
                ? SearchFilter.NONE
                : new SearchFilter(
                        requestFilter.documentId(),
                        requestFilter.mediaType(),
                        requestFilter.metadata() == null ? Map.of() : requestFilter.metadata());
        CollectionEntity collection = collection(id);
        long start = System.nanoTime();
        boolean feedback = requestFeedback != null ? requestFeedback : profile.feedback(config);
        SearchService.Ranked ranked = search.search(
                collection, new SearchService.Query(query, image), k, mode, fusion, filter, rerank, feedback, profile);
        List<SearchHit> hits = ranked.hits();
        Map<String, dev.omnirag.index.Locator> highlights = layouts.highlights(hits, query);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        return new SearchView(
                hits.stream()
                        .map(h -> ResultView.of(h, highlights.get(h.chunkId())))
                        .toList(),
                lower(mode),
                lower(fusion),
                feedback,
                ranked.rerank(),
                ranked.rerankFailure(),
                tookMs,
                lower(profile));
    }

    @POST
    @Path("/collections/{id}/ask")
    @RequiresCollectionRole(Role.READ)
    @Produces(MediaType.APPLICATION_JSON)
    public AskView ask(@PathParam("id") String id, @Valid Requests.Ask body) {
        Principal caller = access.requireCollection(Ids.parse("collection", id), Role.READ);
        long start = System.nanoTime();
        ConversationEntity conversation = conversation(caller, id, body);
        List<dev.omnirag.generator.ChatTurn> history = history(conversation);
        Prepared p = prepare(id, body, history);
        AskService.Result result = ask.answer(p.question(), history, p.ranked().hits(), AskService.SILENT);
        return remember(conversation, p, view(result, p.ranked()), start);
    }

    /** The conversation an ask continues ({@code conversationId}), checked against the caller and the collection. */
    private ConversationEntity conversation(Principal caller, String collectionId, Requests.Ask body) {
        if (body == null || body.conversationId() == null) {
            return null;
        }
        ConversationEntity c = conversations.get(caller, Ids.parse("conversation", body.conversationId()));
        if (!c.collectionId.equals(Ids.parse("collection", collectionId))) {
            throw ApiException.badRequest(
                    "conversation " + c.id + " belongs to collection " + c.collectionId + ", not to " + collectionId);
        }
        return c;
    }

    private List<dev.omnirag.generator.ChatTurn> history(ConversationEntity conversation) {
        return conversation == null ? List.of() : conversations.history(conversation.id);
    }

    /** Appends the answer to its conversation, if it has one; the view then says which turn it is. */
    private AskView remember(ConversationEntity conversation, Prepared p, AskView view, long start) {
        if (conversation == null) {
            return view;
        }
        String citations;
        try {
            citations = CITATIONS_JSON.writeValueAsString(view.citations());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("citations cannot be written as JSON", e);
        }
        dev.omnirag.server.db.TurnEntity turn = conversations.append(
                conversation.id,
                p.question(),
                view.answer(),
                citations,
                view.generator(),
                (System.nanoTime() - start) / 1_000_000);
        return view.inConversation(conversation.id, turn.n);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper CITATIONS_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper().findAndRegisterModules();

    /**
     * The same answer as server-sent events: {@code delta} (a piece of answer text), {@code citation} (as soon
     * as a marker is complete, with its verification), {@code restart} (the LLM failed mid-answer: discard what
     * came so far, the fallback answer follows), and a final {@code done} with the whole answer; on failure an
     * {@code error} event carrying a problem document.
     */
    @POST
    @Path("/collections/{id}/ask")
    @RequiresCollectionRole(Role.READ)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    public Multi<OutboundSseEvent> askStream(@PathParam("id") String id, @Valid Requests.Ask body, @Context Sse sse) {
        Principal caller = access.requireCollection(Ids.parse("collection", id), Role.READ);
        long start = System.nanoTime();
        ConversationEntity conversation = conversation(caller, id, body);
        List<dev.omnirag.generator.ChatTurn> history = history(conversation);
        Prepared p = prepare(id, body, history);
        return Multi.createFrom()
                .<OutboundSseEvent>emitter(emitter -> Infrastructure.getDefaultWorkerPool()
                        .execute(() -> {
                            try {
                                AskService.Result result = ask.answer(
                                        p.question(), history, p.ranked().hits(), new AskService.Listener() {
                                            @Override
                                            public void delta(String text) {
                                                emitter.emit(event(sse, "delta", Map.of("text", text)));
                                            }

                                            @Override
                                            public void citation(AskService.ResolvedCitation c) {
                                                emitter.emit(event(sse, "citation", SearchResource.citation(c)));
                                            }

                                            @Override
                                            public void restart() {
                                                emitter.emit(
                                                        event(
                                                                sse,
                                                                "restart",
                                                                Map.of(
                                                                        "reason",
                                                                        "the answer so far is withdrawn; the final answer follows")));
                                            }
                                        });
                                emitter.emit(
                                        event(sse, "done", remember(conversation, p, view(result, p.ranked()), start)));
                                emitter.complete();
                            } catch (RuntimeException e) {
                                ProblemMapper.StreamFailure failure = ProblemMapper.streamFailure(e);
                                emitter.emit(event(
                                        sse,
                                        "error",
                                        Map.of(
                                                "status", failure.status(),
                                                "title", Problem.title(failure.status()),
                                                "detail", failure.detail())));
                                emitter.complete();
                            }
                        }));
    }

    private record Prepared(String question, SearchService.Ranked ranked) {}

    private Prepared prepare(String id, Requests.Ask body, List<dev.omnirag.generator.ChatTurn> history) {
        if (body == null) {
            throw ApiException.badRequest("request body is required: {\"question\": \"...\"}");
        }
        if (body.imageUrl() != null) {
            return prepare(
                    id,
                    body.question(),
                    images.fromDataUrl("imageUrl", body.imageUrl()),
                    body.k(),
                    body.rerank(),
                    body.profile(),
                    history);
        }
        String question = requireText("question", body.question());
        int k = k(body.k(), config.askK());
        CollectionEntity collection = collection(id);
        return new Prepared(
                question,
                ask.retrieve(
                        collection,
                        new SearchService.Query(question, null),
                        history,
                        k,
                        body.rerank(),
                        parse(SearchProfile.class, "profile", body.profile(), config.profile())));
    }

    /** An ask with an image: the question is optional; without one, the image's text stands for it. */
    private Prepared prepare(
            String id,
            String questionText,
            BufferedImage image,
            Integer requestedK,
            String rerank,
            String profileName,
            List<dev.omnirag.generator.ChatTurn> history) {
        String question = optionalText("question", questionText);
        int k = k(requestedK, config.askK());
        CollectionEntity collection = collection(id);
        String imageText = search.imageText(image);
        String effective = question.isEmpty() ? imageText.strip() : question;
        if (effective.isEmpty()) {
            throw ApiException.badRequest("the image has no legible text; add a question");
        }
        if (effective.length() > config.maxQueryLength()) {
            effective = effective.substring(0, config.maxQueryLength());
        }
        return new Prepared(
                effective,
                ask.retrieve(
                        collection,
                        new SearchService.Query(question, image),
                        history,
                        k,
                        rerank,
                        parse(SearchProfile.class, "profile", profileName, config.profile())));
    }

    /** Ask with an uploaded image (multipart part {@code image}), alone or with a {@code question} form field. */
    @POST
    @Path("/collections/{id}/ask")
    @RequiresCollectionRole(Role.READ)
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    public AskView askMultipart(
            @PathParam("id") String id,
            @RestForm("image") FileUpload image,
            @RestForm("question") String question,
            @RestForm("k") Integer k,
            @RestForm("rerank") String rerank,
            @RestForm("profile") String profile) {
        access.requireCollection(Ids.parse("collection", id), Role.READ);
        Prepared p;
        if (image == null || image.uploadedFile() == null) {
            p = prepare(id, new Requests.Ask(question, k, null, rerank, profile, null), List.of());
        } else {
            p = prepare(id, question, images.fromFile("image", image.uploadedFile()), k, rerank, profile, List.of());
        }
        AskService.Result result =
                ask.answer(p.question(), List.of(), p.ranked().hits(), AskService.SILENT);
        return view(result, p.ranked());
    }

    private static OutboundSseEvent event(Sse sse, String name, Object data) {
        return sse.newEventBuilder()
                .name(name)
                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(data)
                .build();
    }

    static AskView view(AskService.Result r, SearchService.Ranked ranked) {
        return new AskView(
                r.answer().text(),
                r.citations().stream().map(SearchResource::citation).toList(),
                r.answer().grounded(),
                r.generator(),
                r.answer().fallback() ? Boolean.TRUE : null,
                r.answer().fallbackReason(),
                ranked.rerank(),
                ranked.rerankFailure());
    }

    static CitationView citation(AskService.ResolvedCitation c) {
        return new CitationView(
                c.n(),
                c.hit().chunkId(),
                c.hit().documentId(),
                c.hit().filename(),
                c.hit().mediaType(),
                LocatorView.of(c.locator()),
                c.quote(),
                c.claim(),
                c.verified(),
                c.verbatim(),
                c.strong() ? "strong" : "weak",
                c.support());
    }

    private CollectionEntity collection(String id) {
        UUID uuid = Ids.parse("collection", id);
        CollectionEntity c = db.read(() -> CollectionEntity.<CollectionEntity>findById(uuid));
        if (c == null) {
            throw ApiException.notFound("collection", id);
        }
        return c;
    }

    private String requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest(field + " must not be blank");
        }
        if (value.length() > config.maxQueryLength()) {
            throw ApiException.badRequest(
                    field + " must be at most " + config.maxQueryLength() + " characters; length=" + value.length());
        }
        return value;
    }

    private String optionalText(String field, String value) {
        if (value == null || value.isBlank()) {
            return "";
        }
        return requireText(field, value);
    }

    private int k(Integer k, int defaultK) {
        if (k == null) {
            return Math.min(defaultK, config.maxK());
        }
        if (k < 1 || k > config.maxK()) {
            throw ApiException.badRequest("k must be in 1.." + config.maxK() + "; k=" + k);
        }
        return k;
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String field, String value, E fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> allowed = java.util.Arrays.stream(type.getEnumConstants())
                    .map(SearchResource::lower)
                    .toList();
            throw ApiException.badRequest(field + " must be one of " + allowed + "; " + field + "=" + value);
        }
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
