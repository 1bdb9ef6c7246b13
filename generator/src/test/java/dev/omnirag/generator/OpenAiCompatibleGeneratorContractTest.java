package dev.omnirag.generator;

import dev.omnirag.embeddings.OnnxTextEmbedder;
import dev.omnirag.generator.fake.FakeOpenAiServer;
import dev.omnirag.generator.fake.FakeOpenAiServer.Reply;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The LLM generator against the {@link Generator} contract, with a protocol-faithful fake model server whose model
 * answers from the source that mentions the speedup (citing it by the number the prompt gave it, plus a marker that
 * names no source) and the real embedder verifying citations.
 */
class OpenAiCompatibleGeneratorContractTest extends GeneratorContractTest {

    private OnnxTextEmbedder embedder;
    private FakeOpenAiServer server;
    private Generator generator;

    @BeforeAll
    void start() {
        embedder = OnnxTextEmbedder.bgeSmallEnV15();
        server = FakeOpenAiServer.start();
        server.respond(r -> {
            int n = FakeOpenAiServer.sourceNumberContaining(r, "2x-20x");
            return Reply.text(
                    n > 0
                            ? "TraceMonkey gives a 2x-20x speedup for traceable programs [" + n + "]. It also "
                                    + "claims this without support [9]."
                            : "I do not know [1].");
        });
        generator = OpenAiCompatibleGenerator.builder()
                .client(new OpenAiChatClient(OpenAiChatClient.transportBuilder()
                        .baseUrl(server.baseUrl())
                        .readTimeout(Duration.ofSeconds(10))
                        .build()))
                .model(FakeOpenAiServer.MODEL)
                .verifier(CitationVerifier.builder().embedder(embedder).build())
                .build();
    }

    @AfterAll
    void stop() {
        server.close();
        embedder.close();
    }

    @Override
    protected Generator generator() {
        return generator;
    }
}
