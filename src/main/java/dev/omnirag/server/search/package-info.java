/** Retrieval and answers: per-collection indexes, query embedding, search and cited answers. */
package dev.omnirag.server.search;
