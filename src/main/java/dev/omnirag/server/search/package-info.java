/**
 * Retrieval and answers: per-collection indexes, query embedding, search with optional reranking
 * ({@link dev.omnirag.server.search.Rerankers}), cited answers ({@link dev.omnirag.server.search.AskService}),
 * the generator's model server ({@link dev.omnirag.server.search.ChatBackend}) and the pictures of image hits
 * for vision models ({@link dev.omnirag.server.search.ImageSources}).
 */
package dev.omnirag.server.search;
