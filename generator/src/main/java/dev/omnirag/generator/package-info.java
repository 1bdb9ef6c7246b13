/**
 * Answering a question from retrieved passages: the {@link dev.omnirag.generator.Generator} contract, its
 * request and result records ({@link dev.omnirag.generator.GenerationRequest},
 * {@link dev.omnirag.generator.Answer}, {@link dev.omnirag.generator.Citation}), the streaming callback
 * {@link dev.omnirag.generator.AnswerListener}, and the generators:
 * <ul>
 *   <li>{@link dev.omnirag.generator.ExtractiveGenerator}, the default: quotes the best sentences of the sources
 *       instead of calling a language model;</li>
 *   <li>{@link dev.omnirag.generator.OpenAiCompatibleGenerator}: a language model behind an OpenAI-compatible
 *       server ({@link dev.omnirag.generator.OpenAiChatClient}, the chat face of the one
 *       {@link dev.omnirag.openai.OpenAiTransport}: streaming, timeouts, retries, circuit breaker), prompted by
 *       {@code RagPrompt}, its citations parsed as
 *       they stream and checked by the {@link dev.omnirag.generator.CitationVerifier};</li>
 *   <li>{@link dev.omnirag.generator.FallbackGenerator}: the LLM first, the extractive generator when it
 *       fails.</li>
 * </ul>
 * {@link dev.omnirag.generator.Claims} splits answers into sentences with their markers (the grounded ratio). The
 * sentence model, table rows and hyphenation shared with the rest of the project live in
 * {@link dev.omnirag.generator.text}.
 *
 * <p>Failures are reported as the unchecked {@link dev.omnirag.generator.GenerationException}, a branch of the one
 * exception tree ({@link dev.omnirag.error.OmniragException}).
 */
package dev.omnirag.generator;
