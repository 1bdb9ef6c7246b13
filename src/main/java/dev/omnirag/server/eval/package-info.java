/**
 * Retrieval evaluation: IR metrics (nDCG, recall, MRR) and the Cranfield command that measures each search
 * mode with the same chunker, embedder and index the server uses.
 */
package dev.omnirag.server.eval;
