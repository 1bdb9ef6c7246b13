/**
 * Chunk storage and retrieval: the {@link dev.omnirag.index.VectorIndex} contract, its request/result records,
 * the embedded Lucene implementation ({@link dev.omnirag.index.LuceneHybridIndex}, configured with
 * {@link dev.omnirag.index.VectorSimilarity} and {@link dev.omnirag.index.VectorQuantization}) that keeps a BM25
 * text field (analysed as its {@link dev.omnirag.index.TextAnalysis} records, bag-of-words queries, optional RM3
 * {@link dev.omnirag.index.QueryExpansion}) and an HNSW vector field
 * side by side so one index answers keyword, vector and hybrid queries (plus, optionally, a native multimodal and a
 * companion text vector field, each searched as one more list), the PostgreSQL + pgvector implementation
 * ({@link dev.omnirag.index.PgVectorIndex}, CJK text written as pairs of characters for PostgreSQL's parser by
 * {@code CjkBigrams}), the hybrid orchestration and fusion both share ({@code HybridFusion}),
 * conversation context for the keyword side ({@link dev.omnirag.index.KeywordContext}), and vector feedback above the
 * contract ({@link dev.omnirag.index.VectorFeedback}). Benchmark tooling lives in {@code dev.omnirag.index.bench}.
 */
package dev.omnirag.index;
