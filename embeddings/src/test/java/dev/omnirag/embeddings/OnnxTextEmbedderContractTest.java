package dev.omnirag.embeddings;

/** bge-small-en-v1.5 int8, the default text embedder, against the {@link Embedder} contract. */
class OnnxTextEmbedderContractTest extends EmbedderContractTest {
    @Override
    protected Embedder create() {
        return OnnxTextEmbedder.bgeSmallEnV15();
    }
}
