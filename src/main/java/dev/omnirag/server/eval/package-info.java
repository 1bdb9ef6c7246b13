/**
 * Retrieval evaluation and load testing: IR metrics (nDCG, recall, MRR), the Cranfield command that measures each
 * search mode with the same chunker, embedder and index the server uses, and the load test ({@code LoadTest}) that
 * drives a running server on this machine with Cranfield queries.
 */
package dev.omnirag.server.eval;
