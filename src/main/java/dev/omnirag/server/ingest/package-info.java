/**
 * Ingestion: the content-addressed blob store, Tika parsing into pages, sentence-aware chunking, and the
 * durable job pipeline (parse, chunk, embed, index) that runs on a bounded worker pool.
 */
package dev.omnirag.server.ingest;
