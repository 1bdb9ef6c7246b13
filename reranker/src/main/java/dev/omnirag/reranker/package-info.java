/**
 * Reordering retrieved chunks after first-stage search: the {@link dev.omnirag.reranker.Reranker} contract.
 * The walking skeleton ranks by fused first-stage scores only; local and MLLM rerankers implement this
 * interface in a later step.
 */
package dev.omnirag.reranker;
