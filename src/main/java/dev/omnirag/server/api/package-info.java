/**
 * The HTTP API: REST and SSE resources under {@code /v1}, their request/response records, the single exception
 * mapper that turns every failure into {@code application/problem+json}, and what guards requests before and
 * while they are read: {@link dev.omnirag.server.api.EdgeGuard} (path spellings, declared sizes, connections left
 * with unread bodies), {@link dev.omnirag.server.api.BodyGuard} with {@link dev.omnirag.server.api.BodyBudget} (body
 * memory, read timeouts, uploads per key), {@link dev.omnirag.server.api.BodySizeInterceptor} and
 * {@link dev.omnirag.server.api.JsonLimits} (bytes and JSON tokens as they arrive), and
 * {@link dev.omnirag.server.api.ModelCalls} (model work priced in tokens per key), and
 * {@link dev.omnirag.server.api.QuerySlots} (searches and asks running per key). See docs/security.md.
 *
 * <p>Request bodies: {@code Requests} (records checked by Bean Validation, constraints in
 * {@link dev.omnirag.server.api.validation}); {@code ChatRequest} and {@code ResponsesRequest} read OpenAI's requests
 * strictly from the JSON tree (OpenAI's error messages, unknown fields kept for the relay).
 *
 * <p>The OpenAI-compatible routes: {@code ChatCompletionsResource} (RAG answers in the chat shape, and the relay of a
 * model's own features), {@code ChatPassThrough} (other model names, to the generator server unchanged),
 * {@code ResponsesResource}, {@code OpenAiResource} (models, embeddings), the rerank resources; their streams are
 * written by {@code OpenAiEventStream} (OpenAI's framing) and {@code ChatChunks} (chat chunks), cut at stop sequences
 * and length by {@code StreamCut}. A stream that fails after it started reports by {@code ProblemMapper.streamFailure}.
 */
package dev.omnirag.server.api;
