package dev.omnirag.reranker;

import dev.omnirag.generator.fake.FakeOpenAiServer;
import dev.omnirag.generator.fake.FakeOpenAiServer.Reply;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract for the MLLM reranker, against the fake OpenAI-protocol server (P(yes) read from the passage). */
class MllmRerankerContractTest extends RerankerContractTest {

    private static FakeOpenAiServer server;

    @BeforeAll
    static void start() {
        server = FakeOpenAiServer.start();
        server.respond(r -> {
            String text = FakeOpenAiServer.lastUserText(r);
            int at = text.indexOf("p=");
            return Reply.yesNo(at < 0 ? 0.5 : Double.parseDouble(text.substring(at + 2, at + 5)));
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Override
    protected Reranker reranker() {
        return MllmReranker.builder()
                .baseUrl(server.baseUrl())
                .model("fake-vl")
                .deadline(Duration.ofSeconds(5))
                .build();
    }
}
