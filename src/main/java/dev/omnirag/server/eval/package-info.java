/**
 * Retrieval evaluation and load testing: IR metrics (nDCG, recall, MRR), judged test collections in three formats
 * ({@code TestCollection}), the pool evaluation ({@code PoolEvaluation}, {@code deploy/omnirag eval}) that measures
 * every search mode on Cranfield, CACM and NPL with the chunker, embedder, index and fusion the server uses, on
 * Lucene or pgvector ({@code PgVectorBackend}), the older Cranfield-only command, the ingestion benchmark, and the
 * load test ({@code LoadTest}) that drives a running server on this machine with Cranfield queries.
 */
package dev.omnirag.server.eval;
