package dev.omnirag.server.search;

import dev.omnirag.generator.Answer;
import dev.omnirag.generator.AnswerListener;
import dev.omnirag.generator.ChatTurn;
import dev.omnirag.generator.Citation;
import dev.omnirag.generator.FallbackGenerator;
import dev.omnirag.generator.GenerationRequest;
import dev.omnirag.generator.Generator;
import dev.omnirag.generator.Source;
import dev.omnirag.index.Locator;
import dev.omnirag.index.SearchFilter;
import dev.omnirag.index.SearchHit;
import dev.omnirag.index.SearchMode;
import dev.omnirag.server.db.CollectionEntity;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Answers a question over a collection: hybrid search (reranked when asked) for the top chunks, then the
 * generator, then each citation is tied back to its chunk with a locator narrowed to the quoted characters on
 * the page. Counts citations (verified or not, and those dropped) and fallbacks in metrics. Blocking.
 */
@ApplicationScoped
public class AskService {

    private static final Logger LOG = Logger.getLogger(AskService.class);

    private final SearchService search;
    private final Generator generator;
    private final ChatBackend backend;
    private final ImageSources images;
    private final MeterRegistry registry;
    private final ChunkLayouts layouts;
    private final dev.omnirag.server.config.SearchConfig searchConfig;
    private final dev.omnirag.server.config.GeneratorConfig generatorConfig;
    private final SentenceVectors sentenceVectors;

    AskService(
            SearchService search,
            Generator generator,
            ChatBackend backend,
            ImageSources images,
            MeterRegistry registry,
            ChunkLayouts layouts,
            dev.omnirag.server.config.SearchConfig searchConfig,
            dev.omnirag.server.config.GeneratorConfig generatorConfig,
            SentenceVectors sentenceVectors) {
        this.generatorConfig = generatorConfig;
        this.sentenceVectors = sentenceVectors;
        this.layouts = layouts;
        this.searchConfig = searchConfig;
        this.search = search;
        this.generator = generator;
        this.backend = backend;
        this.images = images;
        this.registry = registry;
    }

    /**
     * A citation resolved to its chunk and page, with the generator's verdicts: {@code verified} (the source was
     * checked to support the claim), {@code support} (that check's score, 0..1), {@code strong} (the passage bears
     * strongly on the question) and {@code verbatim} (the claim is the source's own words).
     */
    public record ResolvedCitation(
            int n,
            SearchHit hit,
            Locator locator,
            String quote,
            String claim,
            boolean verified,
            double support,
            boolean strong,
            boolean verbatim) {}

    /**
     * The answer with resolved citations.
     *
     * @param answer    the generator's answer
     * @param citations its citations resolved to chunks and pages
     * @param generator the name of the generator that produced it (the fallback's when it fell back)
     */
    public record Result(Answer answer, List<ResolvedCitation> citations, String generator) {}

    /** Receives an answer as it is produced; see {@link AnswerListener} for the order of calls. */
    public interface Listener {
        /** The next piece of answer text. */
        void delta(String text);

        /** A complete citation, before the delta that carries its marker. */
        void citation(ResolvedCitation citation);

        /**
         * What was reported so far is void: the answer starts again (a fallback after a partial answer, or the
         * extractive generator withdrawing an early "no answer").
         */
        default void restart() {}

        /** Whether this listener can show a {@link #restart()} (see {@link AnswerListener#acceptsRestart()}). */
        default boolean acceptsRestart() {
            return true;
        }
    }

    /** A listener that ignores everything. */
    public static final Listener SILENT = new Listener() {
        @Override
        public void delta(String text) {}

        @Override
        public void citation(ResolvedCitation citation) {}
    };

    /** The retrieved context an answer will be built from: hybrid search as the profile says, reranked as asked. */
    public SearchService.Ranked retrieve(
            CollectionEntity collection, String question, int k, String rerank, SearchProfile profile) {
        return retrieve(collection, new SearchService.Query(question, null), List.of(), k, rerank, profile);
    }

    /** As {@link #retrieve(CollectionEntity, String, int, String, SearchProfile)}, for a turn of a conversation. */
    public SearchService.Ranked retrieve(
            CollectionEntity collection,
            String question,
            List<ChatTurn> history,
            int k,
            String rerank,
            SearchProfile profile) {
        return retrieve(collection, new SearchService.Query(question, null), history, k, rerank, profile);
    }

    /**
     * The retrieved context for a question and/or an image (see {@link SearchService.Query}), reranked as asked. In a
     * conversation ({@code history} not empty) a follow-up is searched with what the conversation named: with an LLM
     * generator the model first rewrites it as a standalone question
     * ({@code omnirag.generator.follow-up-rewrite-timeout}); otherwise, or when the rewrite fails, the earlier
     * questions' words and embeddings join the search ({@link FollowUps}).
     */
    public SearchService.Ranked retrieve(
            CollectionEntity collection,
            SearchService.Query query,
            List<ChatTurn> history,
            int k,
            String rerank,
            SearchProfile profile) {
        List<String> earlier = history.stream()
                .filter(t -> t.role().equals(ChatTurn.USER))
                .map(ChatTurn::content)
                .toList();
        SearchService.Query effective = new SearchService.Query(query.text(), query.image(), earlier);
        if (!earlier.isEmpty() && query.text() != null && !query.text().isBlank()) {
            java.util.Optional<String> rewritten = rewrite(query.text(), history);
            if (rewritten.isPresent()) {
                effective = new SearchService.Query(rewritten.get(), query.image());
            }
        }
        return search.search(
                collection,
                effective,
                k,
                SearchMode.HYBRID,
                profile.fusion(searchConfig),
                SearchFilter.NONE,
                rerank,
                profile.feedback(searchConfig),
                profile);
    }

    /** The LLM's standalone version of a follow-up, or empty (no LLM, rewrite off, or it failed: logged, counted). */
    private java.util.Optional<String> rewrite(String question, List<ChatTurn> history) {
        java.time.Duration timeout = generatorConfig.followUpRewriteTimeout();
        var llm = llm();
        if (llm.isEmpty() || timeout.isZero() || timeout.isNegative()) {
            return java.util.Optional.empty();
        }
        try {
            String standalone = llm.get().standaloneQuestion(question, history, timeout);
            registry.counter("omnirag.followups.rewrites", "outcome", "rewritten")
                    .increment();
            LOG.debugf("Follow-up %s searched as %s", question, standalone);
            return java.util.Optional.of(standalone);
        } catch (RuntimeException e) {
            registry.counter("omnirag.followups.rewrites", "outcome", "failed").increment();
            LOG.warnf(
                    "Could not rewrite a follow-up with the model; searching with the earlier questions' words: %s",
                    e.getMessage());
            return java.util.Optional.empty();
        }
    }

    /**
     * The LLM generator, when answers come from one (possibly behind the extractive fallback): requests that need
     * the model's own features (tools, structured output) are sent to it with the RAG prompt, unchecked.
     */
    public java.util.Optional<dev.omnirag.generator.OpenAiCompatibleGenerator> llm() {
        Generator g = generator instanceof FallbackGenerator f ? f.primary() : generator;
        return g instanceof dev.omnirag.generator.OpenAiCompatibleGenerator o
                ? java.util.Optional.of(o)
                : java.util.Optional.empty();
    }

    /** The name of the generator answers come from ({@code extractive}, {@code openai:<model>}, with fallback). */
    public String generatorName() {
        return generator.name();
    }

    /** The chat request the LLM would get for this question, its hits (numbered sources) and earlier turns. */
    public com.fasterxml.jackson.databind.node.ObjectNode llmRequest(
            dev.omnirag.generator.OpenAiCompatibleGenerator llm,
            String question,
            List<ChatTurn> history,
            List<SearchHit> hits) {
        return llm.requestBody(
                new GenerationRequest(question, hits.stream().map(this::source).toList(), history));
    }

    /** Generates the answer from retrieved hits and earlier turns, reporting text and citations as produced. */
    public Result answer(String question, List<ChatTurn> history, List<SearchHit> hits, Listener listener) {
        return answer(question, history, hits, java.util.Map.of(), listener);
    }

    /**
     * As {@link #answer(String, List, List, Listener)}, with the asker's sampling fields for an LLM generator
     * ({@code seed}, {@code temperature}, {@code top_p}, penalties, {@code stop}, {@code max_tokens}).
     */
    public Result answer(
            String question,
            List<ChatTurn> history,
            List<SearchHit> hits,
            java.util.Map<String, Object> options,
            Listener listener) {
        Timer.Sample sample = Timer.start(registry);
        // The passages' sentence vectors made ahead of time, so the extractive answer embeds none of them.
        java.util.Map<String, java.util.Map<String, float[]>> known = sentenceVectors.read(hits);
        List<Source> sources = hits.stream()
                .map(h -> source(h).withSentenceVectors(known.get(h.chunkId())))
                .toList();
        Answer answer;
        try {
            answer = generator.generate(
                    new GenerationRequest(question, sources, history, options), new AnswerListener() {
                        @Override
                        public void onDelta(String text) {
                            listener.delta(text);
                        }

                        @Override
                        public void onCitation(Citation citation) {
                            listener.citation(positioned(resolve(citation, hits)));
                        }

                        @Override
                        public void onRestart() {
                            listener.restart();
                        }

                        @Override
                        public boolean acceptsRestart() {
                            return listener.acceptsRestart();
                        }

                        @Override
                        public void onDroppedCitation(int marker, String reason) {
                            registry.counter("omnirag.citations.dropped", "reason", reason)
                                    .increment();
                        }
                    });
        } finally {
            sample.stop(Timer.builder("omnirag.answer.latency")
                    .description("Time to generate one answer")
                    .tag("generator", generator.name())
                    .publishPercentileHistogram()
                    .register(registry));
        }
        String name = generator instanceof FallbackGenerator f ? f.nameOf(answer) : generator.name();
        if (answer.fallback()) {
            LOG.warnf("Answered with %s instead: %s", name, answer.fallbackReason());
            registry.counter("omnirag.generator.fallbacks").increment();
        }
        for (Citation c : answer.citations()) {
            registry.counter("omnirag.citations", "verified", Boolean.toString(c.verified()), "generator", name)
                    .increment();
        }
        List<ResolvedCitation> citations = answer.citations().stream()
                .map(c -> positioned(resolve(c, hits)))
                .toList();
        return new Result(answer, citations, name);
    }

    private Source source(SearchHit h) {
        String image = backend.vision() ? images.dataUrl(h) : null;
        return new Source(h.chunkId(), h.text(), label(h), image);
    }

    static ResolvedCitation resolve(Citation c, List<SearchHit> hits) {
        SearchHit hit = hits.get(c.sourceIndex());
        return new ResolvedCitation(
                c.n(),
                hit,
                ChunkLayouts.narrow(hit, null, c.quoteStart(), c.quoteEnd()),
                c.quote(),
                c.claim(),
                c.verified(),
                c.support(),
                c.strong(),
                c.verbatim());
    }

    /** For OCR'd and transcribed chunks: the box or seconds of exactly the quoted words. */
    private ResolvedCitation positioned(ResolvedCitation r) {
        if (!ChunkLayouts.positioned(r.hit())
                || r.locator().charStart() == null
                || r.hit().locator().charStart() == null) {
            return r;
        }
        var spans = layouts.spans(List.of(r.hit())).get(r.hit().chunkId());
        if (spans == null) {
            return r;
        }
        int from = r.locator().charStart() - r.hit().locator().charStart();
        int to = r.locator().charEnd() - r.hit().locator().charStart();
        return new ResolvedCitation(
                r.n(),
                r.hit(),
                ChunkLayouts.narrow(r.hit(), spans, from, to),
                r.quote(),
                r.claim(),
                r.verified(),
                r.support(),
                r.strong(),
                r.verbatim());
    }

    /**
     * Where a hit is, for people and models: "report.pdf, page 2", "book.epub, section 3" (an EPUB's page is a part
     * of its reading order, not a printed page), or the file name alone.
     */
    public static String label(SearchHit h) {
        Integer page = h.locator().page();
        if (page == null) {
            return h.filename();
        }
        return h.filename() + ("application/epub+zip".equals(h.mediaType()) ? ", section " : ", page ") + page;
    }
}
