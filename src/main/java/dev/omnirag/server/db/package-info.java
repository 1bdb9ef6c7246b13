/**
 * Metadata persistence: Hibernate Reactive (Panache) entities for collections, documents, chunks and jobs,
 * the blocking bridge used by worker threads, and the embedded PostgreSQL the server runs by default.
 */
package dev.omnirag.server.db;
