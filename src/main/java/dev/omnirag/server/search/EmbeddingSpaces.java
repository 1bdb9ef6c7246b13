package dev.omnirag.server.search;

import dev.omnirag.embeddings.Embedder;
import dev.omnirag.embeddings.Modality;
import dev.omnirag.server.db.CollectionEntity;
import java.util.Optional;

/**
 * The server's embedders and the check that a collection's fixed spaces still match them: the text embedder
 * (every chunk's text vector), the optional multimodal embedder (native vectors of images and scanned pages,
 * image queries) and the optional companion text embedder (a second text vector of every chunk, searched by the
 * quality profile). A collection fixes all three spaces when it is created; if the server is later configured with
 * another model, ingestion and search fail with {@link SpaceMismatchException} instead of mixing vectors of
 * different spaces. Immutable.
 */
public final class EmbeddingSpaces {

    private final Embedder text;
    private final Embedder multimodal;
    private final Embedder companion;

    /**
     * @param text the text embedder
     * @param multimodal the multimodal embedder, or null when none is configured
     */
    public EmbeddingSpaces(Embedder text, Embedder multimodal) {
        this(text, multimodal, null);
    }

    /**
     * @param text the text embedder
     * @param multimodal the multimodal embedder, or null when none is configured
     * @param companion the companion text embedder, or null when none is configured
     */
    public EmbeddingSpaces(Embedder text, Embedder multimodal, Embedder companion) {
        this.text = text;
        this.multimodal = multimodal;
        this.companion = companion;
    }

    /** The companion text embedder when one is configured ({@code omnirag.embedder.companion}). */
    public Optional<Embedder> companion() {
        return Optional.ofNullable(companion);
    }

    /**
     * The embedder of the collection's companion space, empty when the collection has none.
     *
     * @throws SpaceMismatchException when the collection has a companion space the server no longer provides
     */
    public Optional<Embedder> companionFor(CollectionEntity c) {
        if (c.companionSpace == null) {
            return Optional.empty();
        }
        if (companion == null
                || !companion.spaceName().equals(c.companionSpace)
                || companion.dimensions() != c.companionDimensionsOrZero()) {
            throw new SpaceMismatchException(
                    "collection '" + c.name + "' was created with the companion embedding space "
                            + c.companionSpace + " (" + c.companionDimensions
                            + " dimensions) but the server's companion embedder is "
                            + (companion == null
                                    ? "not configured"
                                    : companion.spaceName() + " (" + companion.dimensions() + " dimensions)")
                            + "; configure that model again (omnirag.embedder.companion) or create a new collection");
        }
        return Optional.of(companion);
    }

    public Embedder text() {
        return text;
    }

    /** The multimodal embedder when one is configured (it always has an image tower). */
    public Optional<Embedder> multimodal() {
        return Optional.ofNullable(multimodal).filter(e -> e.supports(Modality.IMAGE));
    }

    /** Fails when the collection's text space is not the server's text embedder's. */
    public void checkText(CollectionEntity c) {
        if (!text.spaceName().equals(c.embeddingSpace) || text.dimensions() != c.dimensions) {
            throw new SpaceMismatchException("collection '" + c.name + "' was created with the embedding space "
                    + c.embeddingSpace + " (" + c.dimensions + " dimensions) but the server embeds with "
                    + text.spaceName() + " (" + text.dimensions() + "); configure that model again "
                    + "(omnirag.embedder.*) or create a new collection");
        }
    }

    /**
     * The embedder of the collection's native space, empty when the collection has none.
     *
     * @throws SpaceMismatchException when the collection has a native space the server no longer provides
     */
    public Optional<Embedder> nativeFor(CollectionEntity c) {
        if (c.nativeSpace == null) {
            return Optional.empty();
        }
        Embedder m = multimodal().orElse(null);
        if (m == null || !m.spaceName().equals(c.nativeSpace) || m.dimensions() != c.nativeDimensionsOrZero()) {
            throw new SpaceMismatchException(
                    "collection '" + c.name + "' was created with the multimodal embedding space "
                            + c.nativeSpace + " (" + c.nativeDimensions
                            + " dimensions) but the server's multimodal embedder is "
                            + (m == null ? "not configured" : m.spaceName() + " (" + m.dimensions() + " dimensions)")
                            + "; configure that model again (omnirag.multimodal.*) or create a new collection");
        }
        return Optional.of(m);
    }
}
