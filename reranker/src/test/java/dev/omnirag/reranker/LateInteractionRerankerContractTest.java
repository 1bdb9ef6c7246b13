package dev.omnirag.reranker;

import dev.omnirag.embeddings.OnnxTextEmbedder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract for the local reranker, with the real bge-small embedder. */
class LateInteractionRerankerContractTest extends RerankerContractTest {

    private static OnnxTextEmbedder embedder;

    @BeforeAll
    static void load() {
        embedder = OnnxTextEmbedder.bgeSmallEnV15();
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    @Override
    protected Reranker reranker() {
        return LateInteractionReranker.builder().embedder(embedder).build();
    }
}
