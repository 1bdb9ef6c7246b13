package dev.omnirag.server.llm;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** The service with an LLM generator and an MLLM reranker, both served by the fake OpenAI-protocol server. */
public class LlmProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeLlmResource.class));
    }
}
