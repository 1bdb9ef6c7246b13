/**
 * Chunk storage and retrieval: the {@link dev.omnirag.index.VectorIndex} contract, its request/result
 * records and the embedded Lucene implementation ({@link dev.omnirag.index.LuceneHybridIndex}, configured
 * with {@link dev.omnirag.index.VectorSimilarity} and {@link dev.omnirag.index.VectorQuantization}) that keeps
 * a BM25 text field and an HNSW vector field side by side so one index answers keyword, vector and hybrid
 * queries. Benchmark tooling lives in {@code dev.omnirag.index.bench}.
 */
package dev.omnirag.index;
