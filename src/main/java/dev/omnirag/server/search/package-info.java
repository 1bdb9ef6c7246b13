/**
 * Retrieval and answers: per-collection indexes ({@link dev.omnirag.server.search.CollectionIndexes} over an
 * {@code IndexBackend}: Lucene on disk or pgvector tables behind a pool), query embedding, search with optional
 * reranking ({@link dev.omnirag.server.search.Rerankers}), follow-up questions that use their conversation
 * ({@link dev.omnirag.server.search.FollowUps}), cited answers ({@link dev.omnirag.server.search.AskService}), the
 * generator's model server ({@link dev.omnirag.server.search.ChatBackend}) and the pictures of image hits for vision
 * models ({@link dev.omnirag.server.search.ImageSources}); the extractive answer's sentence vectors, made while the server is
 * idle ({@link dev.omnirag.server.search.SentenceBackfill}) and read before an answer
 * ({@link dev.omnirag.server.search.SentenceVectors}).
 */
package dev.omnirag.server.search;
