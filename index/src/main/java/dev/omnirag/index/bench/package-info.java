/**
 * Measurement tools, not used by the server: {@link dev.omnirag.index.bench.HnswBenchmark} (a command that
 * compares HNSW search with exact brute force for speed and recall), plus the clustered test-vector
 * generator and the exact top-k search it and the recall tests share.
 */
package dev.omnirag.index.bench;
