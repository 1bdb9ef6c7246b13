package dev.omnirag.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rocchio feedback on the query vector, with a real Lucene index. */
class VectorFeedbackTest {

    @TempDir
    Path dir;

    /** Unit vectors: A is the query's best match; C shares A's second direction, B does not. */
    private static final Map<String, float[]> VECTORS = Map.of(
            "alpha wing", new float[] {0.8f, 0.6f, 0, 0},
            "beta wing", new float[] {0.6f, 0, 0.8f, 0},
            "gamma wing", new float[] {0.5f, 0.8660254f, 0, 0});

    private static final Function<List<String>, List<float[]>> LOOKUP =
            texts -> texts.stream().map(VECTORS::get).toList();

    private LuceneHybridIndex index() {
        LuceneHybridIndex index =
                LuceneHybridIndex.builder().path(dir).dimensions(4).build();
        List<IndexedChunk> chunks = new ArrayList<>();
        VECTORS.forEach((text, v) ->
                chunks.add(new IndexedChunk(text, text, text + ".txt", "text/plain", text, v, Locator.NONE, Map.of())));
        index.upsert(chunks);
        return index;
    }

    @Test
    void feedbackFromTheTopHitLiftsAChunkLikeItAboveOneOnlyLikeTheQuery() {
        try (LuceneHybridIndex index = index()) {
            SearchRequest request = SearchRequest.of(null, new float[] {1, 0, 0, 0}, 3, SearchMode.VECTOR);
            assertThat(index.search(request))
                    .extracting(SearchHit::chunkId)
                    .containsExactly("alpha wing", "beta wing", "gamma wing");

            List<SearchHit> moved = new VectorFeedback(1, 0.5).search(index, request, LOOKUP);

            assertThat(moved).extracting(SearchHit::chunkId).containsExactly("alpha wing", "gamma wing", "beta wing");
        }
    }

    @Test
    void feedbackPassagesComeFromTheFirstPassAndMoveTheCompanionQueryToo() {
        Path path = dir.resolve("companion");
        try (LuceneHybridIndex index = LuceneHybridIndex.builder()
                .path(path)
                .dimensions(4)
                .companionDimensions(2)
                .build()) {
            List<IndexedChunk> chunks = new ArrayList<>();
            // The companion model sees alpha and gamma alike, beta elsewhere; beta was indexed before the companion
            // (no companion vector), so its companion vector is embedded; every text vector is read from the index.
            Map<String, float[]> companion = Map.of(
                    "alpha wing", new float[] {1, 0}, "beta wing", new float[] {0, 1}, "gamma wing", new float[] {
                        0.8f, 0.6f
                    });
            VECTORS.forEach((text, v) -> chunks.add(new IndexedChunk(
                    text,
                    text,
                    text + ".txt",
                    "text/plain",
                    text,
                    v,
                    Locator.NONE,
                    Map.of(),
                    null,
                    text.equals("beta wing") ? null : companion.get(text))));
            index.upsert(chunks);
            List<List<String>> mainCalls = new ArrayList<>();
            List<List<String>> companionCalls = new ArrayList<>();
            SearchRequest firstPass = SearchRequest.of(null, new float[] {0.6f, 0, 0.8f, 0}, 3, SearchMode.VECTOR);
            SearchRequest request = SearchRequest.of(null, new float[] {1, 0, 0, 0}, 3, SearchMode.VECTOR)
                    .withCompanion(new SearchRequest.CompanionQuery(new float[] {1, 0}, 0.5));

            List<SearchHit> hits = new VectorFeedback(1, 5.0)
                    .search(
                            index,
                            firstPass,
                            request,
                            texts -> {
                                mainCalls.add(texts);
                                return LOOKUP.apply(texts);
                            },
                            texts -> {
                                companionCalls.add(texts);
                                return texts.stream().map(companion::get).toList();
                            });

            // The feedback passage is the first pass's best (beta), not the request's (alpha): its text vector comes
            // from the index, its missing companion vector from the companion model.
            assertThat(mainCalls).isEmpty();
            assertThat(companionCalls).containsExactly(List.of("beta wing"));
            // Both query vectors moved far towards beta (weight 5). RRF of the two lists: text beta, alpha, gamma;
            // companion (beta has none) gamma, alpha, where the unmoved companion query would rank alpha first and
            // alpha would lead. gamma leading shows the companion query moved.
            assertThat(hits).extracting(SearchHit::chunkId).containsExactly("gamma wing", "alpha wing", "beta wing");
        }
    }

    @Test
    void storedVectorsMoveTheQueryWithoutEmbeddingAndGiveWhatEmbeddingWould() {
        try (LuceneHybridIndex index = index()) {
            SearchRequest request = SearchRequest.of(null, new float[] {1, 0, 0, 0}, 3, SearchMode.VECTOR);
            AtomicInteger calls = new AtomicInteger();
            List<SearchHit> stored = new VectorFeedback(2, 0.5).search(index, request, texts -> {
                calls.incrementAndGet();
                return LOOKUP.apply(texts);
            });
            // An index that returns no stored vectors makes feedback embed the texts: the same vectors, the same order.
            VectorIndex withoutStored = new VectorIndex() {
                public int dimensions() {
                    return index.dimensions();
                }

                public Map<String, String> texts(List<String> chunkIds) {
                    return index.texts(chunkIds);
                }

                public void upsert(List<IndexedChunk> chunks) {
                    index.upsert(chunks);
                }

                public long deleteDocument(String documentId) {
                    return index.deleteDocument(documentId);
                }

                public List<SearchHit> search(SearchRequest r) {
                    return index.search(r);
                }

                public long count() {
                    return index.count();
                }

                public long countDocument(String documentId) {
                    return index.countDocument(documentId);
                }

                public Map<String, Long> documentChunkCounts() {
                    return index.documentChunkCounts();
                }

                public void commit() {
                    index.commit();
                }

                public void close() {}
            };
            List<SearchHit> embedded = new VectorFeedback(2, 0.5).search(withoutStored, request, texts -> {
                calls.addAndGet(100);
                return LOOKUP.apply(texts);
            });

            assertThat(calls)
                    .as("stored vectors: no embedding; without them: one call")
                    .hasValue(100);
            assertThat(stored)
                    .extracting(SearchHit::chunkId)
                    .isEqualTo(embedded.stream().map(SearchHit::chunkId).toList());
        }
    }

    @Test
    void keywordSearchIsAnsweredByOnePassWithoutEmbedding() {
        try (LuceneHybridIndex index = index()) {
            AtomicInteger calls = new AtomicInteger();
            List<SearchHit> hits = new VectorFeedback(3, 0.5)
                    .search(index, SearchRequest.of("gamma", null, 3, SearchMode.KEYWORD), texts -> {
                        calls.incrementAndGet();
                        return LOOKUP.apply(texts);
                    });
            assertThat(hits).extracting(SearchHit::chunkId).containsExactly("gamma wing");
            assertThat(calls).hasValue(0);
        }
    }

    @Test
    void hybridFeedbackReturnsKHitsWithTheSameKeywordSide() {
        try (LuceneHybridIndex index = index()) {
            List<SearchHit> hits = new VectorFeedback(2, 0.5)
                    .search(index, SearchRequest.of("wing", new float[] {1, 0, 0, 0}, 2, SearchMode.HYBRID), LOOKUP);
            assertThat(hits).hasSize(2);
        }
    }

    @Test
    void rocchioMovesTheQueryTowardsTheFeedbackMeanAndKeepsUnitLength() {
        long seed = new Random().nextLong();
        System.out.println("rocchioMovesTheQueryTowardsTheFeedbackMeanAndKeepsUnitLength seed=" + seed);
        Random random = new Random(seed);
        float[] query = unit(random, 16);
        List<float[]> feedback = List.of(unit(random, 16), unit(random, 16), unit(random, 16));
        float[] mean = new float[16];
        feedback.forEach(v -> {
            for (int d = 0; d < 16; d++) {
                mean[d] += v[d];
            }
        });

        float[] moved = VectorFeedback.rocchio(query, feedback, 0.5);

        assertThat(dot(moved, moved)).isCloseTo(1.0, Offset.offset(1e-5));
        assertThat(dot(moved, mean)).as("seed %d", seed).isGreaterThan(dot(query, mean));
        assertThat(VectorFeedback.rocchio(query, List.of(), 0.5)).containsExactly(query);
        assertThat(VectorFeedback.rocchio(query, feedback, 0.0))
                .usingComparatorWithPrecision(1e-6f)
                .containsExactly(query);
    }

    @Test
    void invalidSettingsAreRefusedNamingTheParameter() {
        assertThatThrownBy(() -> new VectorFeedback(0, 0.5)).hasMessage("hits must be in 1..50; hits=0");
        assertThatThrownBy(() -> new VectorFeedback(3, -1)).hasMessage("weight must be in 0.0..5.0; weight=-1.0");
        assertThatThrownBy(() -> VectorFeedback.rocchio(new float[2], List.of(new float[3]), 0.5))
                .hasMessage("feedback vectors must have the query's 2 dimensions; length=3");
    }

    private static float[] unit(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        double norm = Math.sqrt(dot(v, v));
        for (int i = 0; i < n; i++) {
            v[i] /= (float) norm;
        }
        return v;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
