/**
 * Answering a question from retrieved passages: the {@link dev.omnirag.generator.Generator} contract, its
 * request and result records ({@link dev.omnirag.generator.GenerationRequest},
 * {@link dev.omnirag.generator.Answer}, {@link dev.omnirag.generator.Citation}), the streaming callback
 * {@link dev.omnirag.generator.AnswerListener}, and the default generator
 * {@link dev.omnirag.generator.ExtractiveGenerator}, which quotes the best sentences of the sources instead of
 * calling a language model.
 *
 * <p>Failures are reported as the unchecked {@link dev.omnirag.generator.GenerationException}.
 */
package dev.omnirag.generator;
