/**
 * The one exception tree of the Omnirag libraries: {@link dev.omnirag.error.OmniragException} and its
 * {@link dev.omnirag.error.OmniragException.Kind}. It lives in the index library because that is the lowest one
 * (media, embeddings, reranker and the server depend on it; embeddings takes only this jar's classes, none of its
 * dependencies); each library's exception extends it, and the server maps them all in one handler.
 */
package dev.omnirag.error;
