/**
 * Turning text and images into vectors: the {@link dev.omnirag.embeddings.Embedder} contract, the in-process ONNX
 * text encoder {@link dev.omnirag.embeddings.OnnxTextEmbedder} (bge-small-en-v1.5 int8 from the model jar by
 * default, e5-small-v2 int8 as the quality profile's companion, or a user-supplied model; the texts of one call run
 * in parallel single-threaded inference runs), the CLIP-layout dual encoder {@link dev.omnirag.embeddings.ClipOnnxEmbedder},
 * a client of OpenAI-compatible embedding servers ({@link dev.omnirag.embeddings.OpenAiCompatibleEmbedder}, over the
 * one {@link dev.omnirag.openai.OpenAiTransport} that this jar also holds for the generator and rerankers), and
 * {@link dev.omnirag.embeddings.ForwardingEmbedder}, the base of decorators (metrics, caches). Every use of ONNX Runtime
 * (here and in the rerankers) takes its environment from {@link dev.omnirag.embeddings.OnnxRuntimeEnvironment}, which
 * starts the runtime with its telemetry off, and every tokenizer is loaded by
 * {@link dev.omnirag.embeddings.HuggingFaceTokenizers}, which turns DJL's usage report off. Failures are
 * {@link dev.omnirag.embeddings.EmbeddingException}, a branch of {@link dev.omnirag.error.OmniragException}.
 */
package dev.omnirag.embeddings;
