package dev.omnirag.server.api;

import dev.omnirag.index.Fusion;
import dev.omnirag.index.SearchFilter;
import dev.omnirag.index.SearchMode;
import dev.omnirag.server.api.Views.AskView;
import dev.omnirag.server.api.Views.CitationView;
import dev.omnirag.server.api.Views.LocatorView;
import dev.omnirag.server.api.Views.ResultView;
import dev.omnirag.server.api.Views.SearchView;
import dev.omnirag.server.config.SearchConfig;
import dev.omnirag.server.db.CollectionEntity;
import dev.omnirag.server.db.Db;
import dev.omnirag.server.search.AskService;
import dev.omnirag.server.search.SearchService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import io.smallrye.common.annotation.Blocking;

/** Search and cited answers over one collection. Blocking: both embed the query and search Lucene. */
@Path("/v1")
@Consumes(MediaType.APPLICATION_JSON)
public class SearchResource {

    private static final Logger LOG = Logger.getLogger(SearchResource.class);

    private final Db db;
    private final SearchService search;
    private final AskService ask;
    private final SearchConfig config;

    SearchResource(Db db, SearchService search, AskService ask, SearchConfig config) {
        this.db = db;
        this.search = search;
        this.ask = ask;
        this.config = config;
    }

    @POST
    @Path("/collections/{id}/search")
    @Produces(MediaType.APPLICATION_JSON)
    public SearchView search(@PathParam("id") String id, Requests.Search body) {
        if (body == null) {
            throw ApiException.badRequest("request body is required: {\"query\": \"...\"}");
        }
        String query = requireText("query", body.query());
        int k = k(body.k(), config.defaultK());
        SearchMode mode = parse(SearchMode.class, "mode", body.mode(), SearchMode.HYBRID);
        Fusion fusion = parse(Fusion.class, "fusion", body.fusion(), Fusion.RRF);
        SearchFilter filter = body.filter() == null ? SearchFilter.NONE
                : new SearchFilter(body.filter().documentId(), body.filter().mediaType(),
                        body.filter().metadata() == null ? Map.of() : body.filter().metadata());
        CollectionEntity collection = collection(id);
        long start = System.nanoTime();
        SearchService.Ranked ranked = search.search(collection, query, k, mode, fusion, filter, body.rerank());
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        return new SearchView(ranked.hits().stream().map(ResultView::of).toList(), lower(mode), lower(fusion),
                ranked.rerank(), ranked.rerankFailure(), tookMs);
    }

    @POST
    @Path("/collections/{id}/ask")
    @Produces(MediaType.APPLICATION_JSON)
    public AskView ask(@PathParam("id") String id, Requests.Ask body) {
        Prepared p = prepare(id, body);
        AskService.Result result = ask.answer(p.question(), List.of(), p.ranked().hits(), AskService.SILENT);
        return view(result, p.ranked());
    }

    /**
     * The same answer as server-sent events: {@code delta} (a piece of answer text), {@code citation} (as soon
     * as a marker is complete, with its verification), {@code restart} (the LLM failed mid-answer: discard what
     * came so far, the fallback answer follows), and a final {@code done} with the whole answer; on failure an
     * {@code error} event carrying a problem document.
     */
    @POST
    @Path("/collections/{id}/ask")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    public Multi<OutboundSseEvent> askStream(@PathParam("id") String id, Requests.Ask body, @Context Sse sse) {
        Prepared p = prepare(id, body);
        return Multi.createFrom().<OutboundSseEvent>emitter(emitter -> Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                AskService.Result result = ask.answer(p.question(), List.of(), p.ranked().hits(), new AskService.Listener() {
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
                        emitter.emit(event(sse, "restart", Map.of("reason", "the generator failed mid-answer")));
                    }
                });
                emitter.emit(event(sse, "done", view(result, p.ranked())));
                emitter.complete();
            } catch (RuntimeException e) {
                LOG.errorf(e, "Streaming answer failed");
                emitter.emit(event(sse, "error", Map.of("status", 500, "title", "Internal Server Error",
                        "detail", String.valueOf(e.getMessage()))));
                emitter.complete();
            }
        }));
    }

    private record Prepared(String question, SearchService.Ranked ranked) {
    }

    private Prepared prepare(String id, Requests.Ask body) {
        if (body == null) {
            throw ApiException.badRequest("request body is required: {\"question\": \"...\"}");
        }
        String question = requireText("question", body.question());
        int k = k(body.k(), config.askK());
        CollectionEntity collection = collection(id);
        return new Prepared(question, ask.retrieve(collection, question, k, body.rerank()));
    }

    private static OutboundSseEvent event(Sse sse, String name, Object data) {
        return sse.newEventBuilder().name(name).mediaType(MediaType.APPLICATION_JSON_TYPE).data(data).build();
    }

    static AskView view(AskService.Result r, SearchService.Ranked ranked) {
        return new AskView(r.answer().text(), r.citations().stream().map(SearchResource::citation).toList(),
                r.answer().grounded(), r.generator(), r.answer().fallback() ? Boolean.TRUE : null,
                r.answer().fallbackReason(), ranked.rerank(), ranked.rerankFailure());
    }

    static CitationView citation(AskService.ResolvedCitation c) {
        return new CitationView(c.n(), c.hit().chunkId(), c.hit().documentId(), c.hit().filename(),
                LocatorView.of(c.locator()), c.quote(), c.claim(), c.verified(), c.support());
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
            throw ApiException.badRequest(field + " must be at most " + config.maxQueryLength() + " characters; length="
                    + value.length());
        }
        return value;
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
            List<String> allowed = java.util.Arrays.stream(type.getEnumConstants()).map(SearchResource::lower).toList();
            throw ApiException.badRequest(field + " must be one of " + allowed + "; " + field + "=" + value);
        }
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
