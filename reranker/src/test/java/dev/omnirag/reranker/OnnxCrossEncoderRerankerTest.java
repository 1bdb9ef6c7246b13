package dev.omnirag.reranker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.omnirag.index.SearchHit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ONNX cross-encoder with a tiny model the test writes ({@link TinyCrossEncoder}): real tokenizer pair
 * encoding, real ONNX Runtime inference in batches, scores that can be computed by hand; and the contract.
 */
class OnnxCrossEncoderRerankerTest extends RerankerContractTest {

    @TempDir
    static Path dir;

    private static OnnxCrossEncoderReranker reranker;

    @BeforeAll
    static void load() {
        TinyCrossEncoder.write(dir);
        reranker = OnnxCrossEncoderReranker.builder()
                .modelPath(dir.resolve("model.onnx"))
                .tokenizerPath(dir.resolve("tokenizer.json"))
                .batchSize(2)
                .build();
    }

    @AfterAll
    static void close() {
        reranker.close();
    }

    @Override
    protected Reranker reranker() {
        return reranker;
    }

    @Test
    void scoresAreTheLogisticOfTheModelsLogitsOverBatchesOfPairs() {
        // Batches of two, padded to their longest pair: the padding and the query's own words must add nothing.
        Reranking r = reranker.rerank(new RerankRequest("wing wing wing", HITS, HITS.size()));
        assertThat(r.applied()).isTrue();
        for (SearchHit h : r.hits()) {
            double logit = TinyCrossEncoder.logit(h.text());
            assertThat(h.score()).as(h.chunkId()).isCloseTo(1 / (1 + Math.exp(-logit)), within(1e-6));
        }
        // wing + drag (3), wing + drag (3, later in the first stage), wing + flutter (2.5), then the unrelated two.
        assertThat(Hits.ids(r.hits())).containsExactly("h1", "h4", "h2", "h0", "h3");
    }

    @Test
    void aMissingOrBrokenModelIsAClearError(@TempDir Path other) throws Exception {
        assertThatThrownBy(() -> OnnxCrossEncoderReranker.builder()
                        .tokenizerPath(dir.resolve("tokenizer.json"))
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("modelPath");
        Path broken = Files.writeString(other.resolve("model.onnx"), "not a model");
        assertThatThrownBy(() -> OnnxCrossEncoderReranker.builder()
                        .modelPath(broken)
                        .tokenizerPath(dir.resolve("tokenizer.json"))
                        .build())
                .isInstanceOf(RerankException.NonRetriable.class)
                .hasMessageContaining("cannot load cross-encoder");
        assertThatThrownBy(() -> OnnxCrossEncoderReranker.builder().batchSize(0))
                .hasMessage("batchSize must be in 1..256; batchSize=0");
        assertThat(List.of(reranker.name())).containsExactly("cross-encoder");
    }
}
