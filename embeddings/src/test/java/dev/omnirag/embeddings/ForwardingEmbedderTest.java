package dev.omnirag.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardingEmbedderTest {

    @Test
    void aDecoratorChangesOnlyWhatItOverridesAndClosesItsDelegate() {
        try (OnnxTextEmbedder bge = OnnxTextEmbedder.bgeSmallEnV15()) {
            int[] queries = {0};
            ForwardingEmbedder counting = new ForwardingEmbedder(bge) {
                @Override
                public float[] embedQuery(String query) {
                    queries[0]++;
                    return super.embedQuery(query);
                }

                @Override
                public void close() {
                    // bge is closed by the try block
                }
            };

            assertThat(counting.spaceName()).isEqualTo(bge.spaceName());
            assertThat(counting.dimensions()).isEqualTo(384);
            assertThat(counting.modalities()).isEqualTo(bge.modalities());
            assertThat(counting.countTokens("trace trees")).isEqualTo(bge.countTokens("trace trees"));
            assertThat(counting.maxTokens()).isEqualTo(bge.maxTokens());
            assertThat(counting.embedQuery("trace trees")).containsExactly(bge.embedQuery("trace trees"));
            assertThat(counting.embedDocuments(List.of("a trace tree"))).hasSize(1);
            assertThat(counting.toString()).isEqualTo(bge.toString());
            assertThat(queries[0]).isEqualTo(1);
        }
    }
}
