/**
 * Ingestion: the content-addressed blob store (and the start-up sweep of files no document refers to), Tika
 * parsing into pages, sentence-aware chunking, and the durable job pipeline (parse, chunk, embed, index) that runs
 * on a bounded worker pool, claiming jobs round-robin over collections.
 */
package dev.omnirag.server.ingest;
