package dev.omnirag.server.llm;

import dev.omnirag.generator.fake.FakeOpenAiServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts the fake OpenAI-protocol server and points the generator, the MLLM and remote rerankers and the image
 * captioner at it. Short timeouts
 * and a breaker that never opens keep failure tests fast and independent (the breaker is tested in the
 * generator module).
 */
public class FakeLlmResource implements QuarkusTestResourceLifecycleManager {

    private static volatile FakeOpenAiServer server;

    /** The running fake server. */
    public static FakeOpenAiServer server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = FakeOpenAiServer.start();
        return Map.ofEntries(
                Map.entry("omnirag.generator.kind", "openai"),
                Map.entry("omnirag.generator.base-url", server.baseUrl()),
                Map.entry("omnirag.generator.model", FakeOpenAiServer.MODEL),
                Map.entry("omnirag.generator.api-key", "test-key"),
                Map.entry("omnirag.generator.connect-timeout", "1s"),
                Map.entry("omnirag.generator.read-timeout", "1s"),
                Map.entry("omnirag.generator.max-retries", "1"),
                Map.entry("omnirag.generator.retry-backoff", "10ms"),
                Map.entry("omnirag.generator.breaker-failure-threshold", "1000"),
                Map.entry("omnirag.generator.extra-body", "{\"chat_template_kwargs\": {\"enable_thinking\": false}}"),
                Map.entry("omnirag.reranker.mllm.base-url", server.baseUrl()),
                Map.entry("omnirag.reranker.mllm.model", "fake-vl"),
                Map.entry("omnirag.reranker.mllm.deadline", "3s"),
                Map.entry("omnirag.reranker.remote.url", server.baseUrl() + "/rerank"),
                Map.entry("omnirag.reranker.remote.model", "fake-reranker"),
                // RemoteRerankTest: a vendor's model name served by the remote reranker.
                Map.entry("omnirag.reranker.model-aliases", "rerank-english-v3.0=remote"),
                Map.entry("omnirag.image.caption.base-url", server.baseUrl()),
                Map.entry("omnirag.image.caption.model", "fake-vl"),
                Map.entry("omnirag.image.caption.timeout", "2s"),
                Map.entry("omnirag.image.caption.max-retries", "1"),
                Map.entry("omnirag.image.caption.retry-backoff", "10ms"));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
