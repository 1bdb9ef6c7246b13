/**
 * Reordering retrieved chunks after first-stage search: the {@link dev.omnirag.reranker.Reranker} contract with
 * its records ({@link dev.omnirag.reranker.RerankRequest}, {@link dev.omnirag.reranker.Reranking}), the local
 * {@link dev.omnirag.reranker.LateInteractionReranker} (sentence-level late interaction with the text embedder,
 * optional MMR diversity; no model server needed), the {@link dev.omnirag.reranker.MllmReranker} (a
 * multimodal LLM behind an OpenAI-compatible server judges each passage or image; score = P(yes)), the
 * {@link dev.omnirag.reranker.OnnxCrossEncoderReranker} (a cross-encoder export you provide, in process) and the
 * {@link dev.omnirag.reranker.RemoteReranker} (a rerank server: Infinity, TEI, vLLM, Jina, Cohere).
 *
 * <p>Failures are reported as the unchecked {@link dev.omnirag.reranker.RerankException}.
 */
package dev.omnirag.reranker;
