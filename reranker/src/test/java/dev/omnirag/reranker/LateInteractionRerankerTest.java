package dev.omnirag.reranker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnirag.embeddings.Embedder;
import dev.omnirag.embeddings.OnnxTextEmbedder;
import dev.omnirag.index.SearchHit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The local reranker with the real bge-small embedder. */
class LateInteractionRerankerTest {

    private static final String QUERY = "How does a tracing JIT handle nested loops?";
    private static final String COOKING = "Preheat the oven to 200 degrees. Whisk the eggs with sugar until pale. "
            + "Fold in the flour gently so the batter keeps its air. Bake for twenty minutes.";
    private static final String NESTED = "Our evaluation used the SunSpider suite on a 2.2 GHz machine. Memory use was "
            + "measured with a custom allocator. Nested loops are handled by building nested trace trees: the inner "
            + "loop's tree is called from the outer loop's trace. Results are shown in Figure 12.";
    private static final String GENERAL = "JavaScript is a dynamically typed language used in web browsers. Programs "
            + "are usually run by an interpreter.";

    private static OnnxTextEmbedder embedder;

    @BeforeAll
    static void load() {
        embedder = OnnxTextEmbedder.bgeSmallEnV15();
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    private static LateInteractionReranker.Builder reranker() {
        return LateInteractionReranker.builder().embedder(embedder);
    }

    @Test
    void aPassageWithOneAnsweringSentenceMovesAboveBetterRankedUnrelatedOnes() {
        Reranking r = reranker()
                .firstStageWeight(0.3)
                .topSentences(1)
                .feedbackHits(0)
                .build()
                .rerank(new RerankRequest(QUERY, Hits.of(COOKING, GENERAL, NESTED), 3));

        assertThat(r.applied()).isTrue();
        assertThat(Hits.ids(r.hits()).getFirst()).isEqualTo("h2");
        assertThat(r.hits().getFirst().score()).isGreaterThan(r.hits().get(1).score());
    }

    @Test
    void withEqualFirstStageScoresOnlyTheSentencesCount() {
        List<SearchHit> hits = new ArrayList<>();
        hits.add(Hits.hit("a", COOKING, 0, "text/plain"));
        hits.add(Hits.hit("b", NESTED, 0, "text/plain"));
        Reranking r = reranker().topSentences(1).build().rerank(new RerankRequest(QUERY, hits, 2));
        assertThat(Hits.ids(r.hits())).containsExactly("b", "a");
        // Raw cosines of the best sentences: the nested-loops sentence is close to the query, cooking is not.
        assertThat(r.hits().getFirst().score()).isBetween(0.7, 1.0);
        assertThat(r.hits().get(1).score()).isBetween(0.2, 0.6);
    }

    @Test
    void firstStageWeightOneKeepsTheFirstStageOrder() {
        Reranking r = reranker()
                .firstStageWeight(1.0)
                .build()
                .rerank(new RerankRequest(QUERY, Hits.of(COOKING, GENERAL, NESTED), 3));
        assertThat(Hits.ids(r.hits())).containsExactly("h0", "h1", "h2");
    }

    @Test
    void mmrPushesANearDuplicateBelowADifferentRelevantPassage() {
        String nestedAgain = NESTED.replace("Results are shown in Figure 12.", "Results are in Figure 12.");
        String otherRelevant = "A trace tree is compiled to native code when a loop becomes hot; inner loops get "
                + "their own trees that the outer loop calls.";
        List<SearchHit> hits = Hits.of(NESTED, nestedAgain, otherRelevant, COOKING);

        List<String> plain = Hits.ids(reranker()
                .firstStageWeight(0)
                .topSentences(1)
                .feedbackHits(0)
                .build()
                .rerank(new RerankRequest(QUERY, hits, 4))
                .hits());
        List<String> diverse = Hits.ids(reranker()
                .firstStageWeight(0)
                .topSentences(1)
                .feedbackHits(0)
                .mmrLambda(0.5)
                .build()
                .rerank(new RerankRequest(QUERY, hits, 4))
                .hits());

        assertThat(plain.indexOf("h1")).isLessThan(plain.indexOf("h2"));
        assertThat(diverse.indexOf("h2")).isLessThan(diverse.indexOf("h1"));
        assertThat(diverse.getLast()).isEqualTo("h3");
    }

    @Test
    void feedbackFromTheTopHitsMovesAnAmbiguousQueryTowardsTheirSense() {
        List<SearchHit> hits = Hits.of(
                "The Jaguar XK sports car has a supercharged V8 engine.",
                "Jaguar Land Rover builds its cars in Coventry.",
                "The jaguar is a big cat that hunts in the rainforests of South America.",
                "The new Jaguar F-Type accelerates from zero to sixty miles per hour in four seconds.");
        RerankRequest request = new RerankRequest("How fast is a jaguar?", hits, 4);

        double without = gap(reranker()
                .firstStageWeight(0)
                .topSentences(1)
                .feedbackHits(0)
                .build()
                .rerank(request));
        double with = gap(reranker()
                .firstStageWeight(0)
                .topSentences(1)
                .feedbackHits(2)
                .feedbackWeight(1.0)
                .build()
                .rerank(request));

        assertThat(with).isGreaterThan(without);
    }

    /** Score of the car passage h3 minus that of the animal passage h2. */
    private static double gap(Reranking r) {
        double car = r.hits().stream()
                .filter(h -> h.chunkId().equals("h3"))
                .findFirst()
                .orElseThrow()
                .score();
        double cat = r.hits().stream()
                .filter(h -> h.chunkId().equals("h2"))
                .findFirst()
                .orElseThrow()
                .score();
        return car - cat;
    }

    @Test
    void sentenceVectorsAreCachedAcrossCalls() {
        AtomicInteger embedded = new AtomicInteger();
        Embedder counting = new dev.omnirag.embeddings.ForwardingEmbedder(embedder) {
            @Override
            public List<float[]> embedDocuments(List<String> texts) {
                embedded.addAndGet(texts.size());
                return super.embedDocuments(texts);
            }

            @Override
            public void close() {
                // the shared embedder is closed after all tests
            }
        };
        LateInteractionReranker r =
                LateInteractionReranker.builder().embedder(counting).build();
        r.rerank(new RerankRequest(QUERY, Hits.of(COOKING, NESTED), 2));
        int first = embedded.get();
        r.rerank(new RerankRequest("another question about loops", Hits.of(NESTED, COOKING), 2));

        assertThat(first)
                .isEqualTo(r.sentences(COOKING).size() + r.sentences(NESTED).size());
        assertThat(embedded.get()).isEqualTo(first);
    }

    @Test
    void shortFragmentsJoinTheNextSentence() {
        LateInteractionReranker r = reranker().build();
        assertThat(r.sentences("Abstract. Trace trees make loops fast in JavaScript engines. Fig. 3."))
                .containsExactly("Abstract. Trace trees make loops fast in JavaScript engines.", "Fig. 3.");
        assertThat(r.sentences("  ")).containsExactly("(empty)");
    }

    @Test
    void returnsAtMostKAndNothingForNoHits() {
        assertThat(reranker()
                        .build()
                        .rerank(new RerankRequest(QUERY, Hits.of(COOKING, GENERAL, NESTED), 1))
                        .hits())
                .hasSize(1);
        assertThat(reranker()
                        .build()
                        .rerank(new RerankRequest(QUERY, List.of(), 5))
                        .hits())
                .isEmpty();
    }

    @Test
    void builderRejectsInvalidParametersNamingThem() {
        assertThatThrownBy(() -> LateInteractionReranker.builder().build())
                .hasMessage("embedder is required; embedder=null");
        assertThatThrownBy(() -> reranker().firstStageWeight(1.5).build())
                .hasMessage("firstStageWeight must be in 0.0..1.0; firstStageWeight=1.5");
        assertThatThrownBy(() -> reranker().mmrLambda(-1).build())
                .hasMessage("mmrLambda must be in 0.0..1.0; mmrLambda=-1.0");
        assertThatThrownBy(() -> reranker().topSentences(0).build())
                .hasMessage("topSentences must be in 1..10; topSentences=0");
        assertThatThrownBy(() -> reranker().cacheSize(-1).build())
                .hasMessage("cacheSize must be in 0..10000000; cacheSize=-1");
        assertThatThrownBy(() -> reranker().feedbackHits(51).build())
                .hasMessage("feedbackHits must be in 0..50; feedbackHits=51");
        assertThatThrownBy(() -> reranker().feedbackWeight(-1).build())
                .hasMessage("feedbackWeight must be in 0.0..5.0; feedbackWeight=-1.0");
    }

    @Test
    void requestsAndResultsValidate() {
        assertThatThrownBy(() -> new RerankRequest(" ", List.of(), 1))
                .hasMessage("query must not be blank; query=\" \"");
        assertThatThrownBy(() -> new RerankRequest("q", null, 1)).hasMessageContaining("hits must not be null");
        assertThatThrownBy(() -> new RerankRequest("q", List.of(), 0)).hasMessage("k must be at least 1; k=0");
        assertThatThrownBy(() -> new Reranking(List.of(), false, null))
                .hasMessageContaining("reason must not be blank");
        assertThatThrownBy(() -> new Reranking(List.of(), true, "x")).hasMessageContaining("reason must be null");
        RerankRequest request = new RerankRequest("q", Hits.of("a", "b", "c"), 2);
        assertThat(Hits.ids(Reranking.unchanged(request, "down").hits())).containsExactly("h0", "h1");
    }
}
