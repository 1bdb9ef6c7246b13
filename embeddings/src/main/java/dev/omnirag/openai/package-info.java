/**
 * The one client of OpenAI-protocol servers (vLLM, SGLang, llama.cpp, Ollama, Infinity, TEI, OpenAI itself):
 * {@link dev.omnirag.openai.OpenAiTransport} sends JSON and reads JSON or server-sent events, with one policy of
 * timeouts, retries and a circuit breaker (Resilience4j), and reports {@link dev.omnirag.openai.TransportException}.
 * The remote embedder, the chat client of the generator (and through it the captioner), the MLLM reranker and the
 * remote reranker all use it. It lives in the embeddings jar because that is the lowest library those clients share.
 */
package dev.omnirag.openai;
