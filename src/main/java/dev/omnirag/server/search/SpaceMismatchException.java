package dev.omnirag.server.search;

/** A collection's fixed embedding space differs from the server's configured embedder (HTTP 409). */
public class SpaceMismatchException extends RuntimeException {

    public SpaceMismatchException(String message) {
        super(message);
    }
}
