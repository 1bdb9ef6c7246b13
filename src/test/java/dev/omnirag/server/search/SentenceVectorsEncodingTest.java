package dev.omnirag.server.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a chunk's sentence vectors are stored: exact float32 round trip, and a hash that tells other sentences apart. */
class SentenceVectorsEncodingTest {

    @Test
    void vectorsComeBackExactlyAsStored() {
        List<float[]> vectors = List.of(new float[] {0.1f, -0.25f, 1e-7f}, new float[] {Float.MIN_VALUE, 0.5f, -1f});

        List<float[]> back = SentenceVectors.decode(SentenceVectors.encode(vectors), 2);

        assertThat(back).hasSize(2);
        assertThat(back.get(0)).containsExactly(vectors.get(0));
        assertThat(back.get(1)).containsExactly(vectors.get(1));
        assertThat(SentenceVectors.decode(new byte[0], 0)).isEmpty();
    }

    @Test
    void bytesThatCannotHoldTheSentencesAreRefused() {
        byte[] two = SentenceVectors.encode(List.of(new float[] {1, 2, 3}, new float[] {4, 5, 6}));

        assertThat(SentenceVectors.decode(two, 5))
                .as("five sentences in 24 bytes")
                .isNull();
        assertThat(SentenceVectors.decode(two, 0)).as("no sentence, some bytes").isNull();
        assertThat(SentenceVectors.decode(new byte[0], 1)).isNull();
    }

    @Test
    void theHashChangesWithTheSentencesTheirOrderAndTheirBoundaries() {
        long h = SentenceVectors.hash(List.of("One sentence.", "Another one."));

        assertThat(SentenceVectors.hash(List.of("One sentence.", "Another one.")))
                .isEqualTo(h);
        assertThat(SentenceVectors.hash(List.of("Another one.", "One sentence.")))
                .isNotEqualTo(h);
        assertThat(SentenceVectors.hash(List.of("One sentence. Another one."))).isNotEqualTo(h);
        assertThat(SentenceVectors.hash(List.of("One sentence.", "Another one!")))
                .isNotEqualTo(h);
        assertThat(SentenceVectors.hash(List.of())).isNotEqualTo(h);
    }
}
