package dev.omnirag.server.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnirag.embeddings.Embedder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The extractive answer's sentence cache: a sentence scored once is not embedded again, the texts it lacks go to
 * the model in one call, and a caller cannot change what the cache keeps.
 */
class SentenceCachingEmbedderTest {

    /** Embeds a text as its length and vowel count (enough to tell texts apart); records what it was asked. */
    static final class Recording implements Embedder {
        final List<List<String>> calls = new ArrayList<>();

        public List<float[]> embedDocuments(List<String> texts) {
            calls.add(List.copyOf(texts));
            return texts.stream()
                    .map(t -> new float[] {
                        t.length(), t.replaceAll("[^aeiou]", "").length()
                    })
                    .toList();
        }

        public float[] embedQuery(String query) {
            return new float[] {query.length(), 0};
        }

        public int countTokens(String text) {
            return text.length();
        }

        public int maxTokens() {
            return 512;
        }

        public String spaceName() {
            return "recording";
        }

        public int dimensions() {
            return 2;
        }

        public void close() {}
    }

    @Test
    void aSentenceScoredOnceIsNotEmbeddedAgainAndTheRestGoInOneCall() {
        Recording model = new Recording();
        SentenceCachingEmbedder cache = new SentenceCachingEmbedder(model, 100);
        List<float[]> first = cache.embedDocuments(List.of("Flutter grows.", "Drag rises."));
        List<float[]> second = cache.embedDocuments(List.of("Drag rises.", "Heat flows in.", "Flutter grows."));

        assertThat(model.calls).containsExactly(List.of("Flutter grows.", "Drag rises."), List.of("Heat flows in."));
        assertThat(second.get(0)).containsExactly(first.get(1));
        assertThat(second.get(2)).containsExactly(first.get(0));
        assertThat(second.get(1)).containsExactly(14f, 4f);

        second.get(0)[0] = -1;
        assertThat(cache.embedDocuments(List.of("Drag rises.")).getFirst()[0]).isEqualTo(11f);
        assertThat(model.calls).hasSize(2);
    }

    @Test
    void sizeZeroKeepsNothing() {
        Recording model = new Recording();
        SentenceCachingEmbedder none = new SentenceCachingEmbedder(model, 0);
        none.embedDocuments(List.of("Drag rises."));
        none.embedDocuments(List.of("Drag rises."));
        assertThat(model.calls).hasSize(2);
    }
}
