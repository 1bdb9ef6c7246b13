/**
 * Health checks beyond the built-in database check: the index storage, and the threads the service cannot work
 * without (event loops, ingestion workers and committer).
 */
package dev.omnirag.server.health;
