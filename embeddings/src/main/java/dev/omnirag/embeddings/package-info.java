/**
 * Turning text (and, later, images and audio) into vectors: the {@link dev.omnirag.embeddings.Embedder}
 * contract and the in-process ONNX implementation {@link dev.omnirag.embeddings.OnnxTextEmbedder}, which runs
 * bge-small-en-v1.5 (int8) from the model jar by default.
 */
package dev.omnirag.embeddings;
