package dev.omnirag.generator;

import dev.omnirag.embeddings.OnnxTextEmbedder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The fallback chain against the {@link Generator} contract: a primary that streams part of an answer and then fails
 * like a stalled model server, and the extractive generator answering instead (the restart withdraws the part).
 */
class FallbackGeneratorContractTest extends GeneratorContractTest {

    private OnnxTextEmbedder embedder;
    private Generator generator;

    @BeforeAll
    void build() {
        embedder = OnnxTextEmbedder.bgeSmallEnV15();
        Generator stalling = new Generator() {
            @Override
            public String name() {
                return "openai:stalled";
            }

            @Override
            public Answer generate(GenerationRequest request, AnswerListener listener) {
                listener.onDelta("TraceMonkey gives");
                throw new GenerationException.Retriable("read timeout", null);
            }
        };
        generator = new FallbackGenerator(
                stalling, ExtractiveGenerator.builder().embedder(embedder).build());
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
