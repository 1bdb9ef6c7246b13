package dev.omnirag.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyword scores are Lucene's BM25 as the reference runs compute it, checked against the formula by hand on a
 * corpus small enough to write down: {@code idf = ln(1 + (N - n + 0.5) / (n + 0.5))}, {@code tf part = f / (f + k1
 * (1 - b + b dl/avgdl))}, summed over query terms, each weighted by how often the query says it.
 */
class Bm25ScoringTest {

    @TempDir
    Path dir;

    /** Documents of 1 to 4 words (lengths Lucene's norms store exactly); stemming leaves these words alone. */
    private static final Map<String, String> CORPUS = Map.of(
            "d1", "cat dog",
            "d2", "cat cat fish",
            "d3", "dog fish bird bird",
            "d4", "bird");

    @Test
    void keywordScoresEqualTheBm25FormulaWithRepeatedQueryWordsWeighted() {
        float k1 = 0.9f;
        float b = 0.4f;
        try (LuceneHybridIndex index =
                LuceneHybridIndex.builder().path(dir).dimensions(2).bm25(k1, b).build()) {
            CORPUS.forEach((id, text) -> index.upsert(List.of(new IndexedChunk(
                    id, id, id + ".txt", "text/plain", text, new float[] {1, 0}, Locator.NONE, Map.of()))));
            index.commit();
            List<SearchHit> hits = index.search(SearchRequest.of("cat cat dog", null, 10, SearchMode.KEYWORD));
            Map<String, Double> got = new HashMap<>();
            hits.forEach(h -> got.put(h.documentId(), h.score()));

            double n = 4;
            double avgdl = (2 + 3 + 4 + 1) / n;
            Map<String, Double> expected = new HashMap<>();
            expected.put("d1", 2 * term(n, 2, 1, 2, avgdl, k1, b) + term(n, 2, 1, 2, avgdl, k1, b));
            expected.put("d2", 2 * term(n, 2, 2, 3, avgdl, k1, b));
            expected.put("d3", term(n, 2, 1, 4, avgdl, k1, b));
            assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
            expected.forEach((doc, score) -> assertThat(got.get(doc)).as(doc).isCloseTo(score, within(1e-4)));
        }
    }

    @Test
    void bm25ParametersAreValidated() {
        assertThatThrownBy(() -> LuceneHybridIndex.builder().bm25(-0.1f, 0.4f))
                .hasMessage("bm25 k1 must be in 0..3; k1=-0.1");
        assertThatThrownBy(() -> LuceneHybridIndex.builder().bm25(0.9f, 1.5f))
                .hasMessage("bm25 b must be in 0..1; b=1.5");
    }

    /** One term's BM25 contribution: df documents of n contain it, f times in a document of length dl. */
    private static double term(double n, double df, double f, double dl, double avgdl, double k1, double b) {
        double idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        return idf * f / (f + k1 * (1 - b + b * dl / avgdl));
    }
}
