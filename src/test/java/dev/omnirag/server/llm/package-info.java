/**
 * Tests of the LLM side of the service (LLM generator, verified citations, fallback, MLLM reranking,
 * {@code /v1/chat/completions}, {@code /v1/rerank}) against {@link dev.omnirag.generator.fake.FakeOpenAiServer},
 * started by {@link dev.omnirag.server.llm.FakeLlmResource} under the {@link dev.omnirag.server.llm.LlmProfile}.
 * Tagged {@code llm}: they run in a JVM of their own (see the surefire executions in src/pom.xml).
 */
package dev.omnirag.server.llm;
