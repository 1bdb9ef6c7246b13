/**
 * Metadata persistence: Hibernate Reactive (Panache) entities for collections, documents, chunks and jobs,
 * the collections' document counts by status (one grouped query), the blocking bridge used by worker threads, the embedded PostgreSQL the server runs by default, and reading a
 * failure's SQLSTATE.
 */
package dev.omnirag.server.db;
