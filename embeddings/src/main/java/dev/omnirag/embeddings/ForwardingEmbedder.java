package dev.omnirag.embeddings;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An {@link Embedder} that hands every call to another: the base of decorators (metrics, caches) that change one or
 * two calls and keep the rest. Thread safe when the delegate is and the subclass's own state is.
 */
public abstract class ForwardingEmbedder implements Embedder {

    private final Embedder delegate;

    protected ForwardingEmbedder(Embedder delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate must not be null");
    }

    /** The embedder calls are handed to. */
    protected final Embedder delegate() {
        return delegate;
    }

    @Override
    public String spaceName() {
        return delegate.spaceName();
    }

    @Override
    public int dimensions() {
        return delegate.dimensions();
    }

    @Override
    public Set<Modality> modalities() {
        return delegate.modalities();
    }

    @Override
    public List<float[]> embedImages(List<BufferedImage> images) {
        return delegate.embedImages(images);
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        return delegate.embedDocuments(texts);
    }

    @Override
    public float[] embedQuery(String query) {
        return delegate.embedQuery(query);
    }

    @Override
    public int countTokens(String text) {
        return delegate.countTokens(text);
    }

    @Override
    public int maxTokens() {
        return delegate.maxTokens();
    }

    @Override
    public Optional<String> decode(int[] tokens) {
        return delegate.decode(tokens);
    }

    /** Closes the delegate; a decorator of an embedder it does not own overrides this. */
    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
