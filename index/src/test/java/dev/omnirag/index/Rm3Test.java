package dev.omnirag.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RM3 on a corpus small enough to compute by hand: two chunks match the query "wing"; their other words become
 * expansion terms weighted by their share of each chunk times the chunk's first-pass score, and the original word
 * keeps half the weight. Eighteen filler chunks make "wing" rare enough (a tenth of the chunks) to count.
 */
class Rm3Test {

    @TempDir
    Path dir;

    @Test
    void expansionTermsAreWeightedByTheirShareOfTheFeedbackChunksAndTheirScores() {
        try (LuceneHybridIndex index =
                LuceneHybridIndex.builder().path(dir).dimensions(2).build()) {
            List<IndexedChunk> chunks = new ArrayList<>();
            chunks.add(chunk("d1", "wing flutter flutter"));
            chunks.add(chunk("d2", "wing drag"));
            String[] filler = {"apple", "banana", "cherry", "grape", "lemon", "mango", "melon", "peach", "plum"};
            for (int i = 0; i < 18; i++) {
                chunks.add(chunk("f" + i, filler[i % filler.length] + " " + filler[(i + 1) % filler.length]));
            }
            index.upsert(chunks);
            index.commit();
            Map<String, Double> first = new HashMap<>();
            index.search(SearchRequest.of("wing", null, 10, SearchMode.KEYWORD))
                    .forEach(h -> first.put(h.documentId(), h.score()));
            double s1 = first.get("d1");
            double s2 = first.get("d2");

            // Relevance model: d1 = {wing 1/3, flutter 2/3}, d2 = {wing 1/2, drag 1/2}, each times its score.
            double wing = s1 / 3 + s2 / 2;
            double flutter = 2 * s1 / 3;
            double drag = s2 / 2;
            double norm = wing + flutter + drag;
            Map<String, Float> weights = index.rm3Weights("wing");
            assertThat(weights).containsOnlyKeys("wing", "flutter", "drag");
            assertThat((double) weights.get("wing")).isCloseTo(0.5 + 0.5 * wing / norm, within(1e-5));
            assertThat((double) weights.get("flutter")).isCloseTo(0.5 * flutter / norm, within(1e-5));
            assertThat((double) weights.get("drag")).isCloseTo(0.5 * drag / norm, within(1e-5));

            // Expanded, a chunk that shares only a feedback word is found too.
            index.upsert(List.of(chunk("d3", "flutter margins")));
            index.commit();
            List<SearchHit> expanded = index.search(new SearchRequest(
                    "wing",
                    null,
                    10,
                    SearchMode.KEYWORD,
                    Fusion.RRF,
                    0.5,
                    SearchFilter.NONE,
                    null,
                    QueryExpansion.RM3));
            assertThat(expanded).extracting(SearchHit::documentId).contains("d1", "d2", "d3");
            assertThat(index.search(SearchRequest.of("wing", null, 10, SearchMode.KEYWORD)))
                    .extracting(SearchHit::documentId)
                    .doesNotContain("d3");
        }
    }

    private static IndexedChunk chunk(String id, String text) {
        return new IndexedChunk(id, id, id + ".txt", "text/plain", text, new float[] {1, 0}, Locator.NONE, Map.of());
    }
}
