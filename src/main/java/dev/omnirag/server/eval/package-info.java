/**
 * Retrieval evaluation and load testing: IR metrics (nDCG, recall, MRR), judged test collections in three formats
 * ({@code TestCollection}), the pool evaluation ({@code PoolEvaluation}, {@code deploy/omnirag eval}) that measures
 * every search mode on Cranfield, CACM and NPL with the chunker, embedder, index and fusion the server uses, on
 * Lucene or pgvector ({@code PgVectorBackend}), the older Cranfield-only command, the ingestion benchmark
 * ({@code IngestBenchmark}), the load test ({@code LoadTest}) that drives a running server on this machine with
 * Cranfield queries, and the scale benchmark ({@code ScaleBenchmark}: a million chunks made from the corpora's real
 * ones, bulk-loaded with the server stopped, searched through the API). The benchmarks start the packaged server
 * through {@code ServerProcess} and talk to it through {@code ServerClient}.
 */
package dev.omnirag.server.eval;
