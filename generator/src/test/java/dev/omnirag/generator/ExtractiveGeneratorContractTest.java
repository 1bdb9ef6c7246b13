package dev.omnirag.generator;

import dev.omnirag.embeddings.OnnxTextEmbedder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The extractive generator, with the real bge-small embedder, against the {@link Generator} contract. */
class ExtractiveGeneratorContractTest extends GeneratorContractTest {

    private OnnxTextEmbedder embedder;
    private Generator generator;

    @BeforeAll
    void build() {
        embedder = OnnxTextEmbedder.bgeSmallEnV15();
        generator = ExtractiveGenerator.builder().embedder(embedder).build();
    }

    @AfterAll
    void close() {
        embedder.close();
    }

    @Override
    protected Generator generator() {
        return generator;
    }
}
