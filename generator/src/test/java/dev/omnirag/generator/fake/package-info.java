/**
 * Test support shipped in the generator's test-jar: {@link dev.omnirag.generator.fake.FakeOpenAiServer}, a small
 * OpenAI-protocol server (Vert.x) that streams deterministic tokens with logprobs and can be told to fail, used
 * by the generator, reranker and service tests in place of a GPU model server.
 */
package dev.omnirag.generator.fake;
