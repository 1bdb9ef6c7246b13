package dev.omnirag.server.search;

import dev.omnirag.embeddings.Embedder;
import dev.omnirag.index.Fusion;
import dev.omnirag.index.SearchFilter;
import dev.omnirag.index.SearchHit;
import dev.omnirag.index.SearchMode;
import dev.omnirag.index.SearchRequest;
import dev.omnirag.server.config.SearchConfig;
import dev.omnirag.server.db.CollectionEntity;
import dev.omnirag.server.ingest.MediaProcessor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Optional;

/**
 * Embeds the query when the mode needs a vector and searches the collection's index. Blocking.
 *
 * <p>A query may be text, an image, or both. The text path searches BM25 and the text vectors with the text
 * plus the image's OCR text; when the collection has a native (multimodal) space, the native path searches the
 * native vectors with the image's embedding (or, for a text-only query, the text's embedding in that space).
 * The index fuses the lists (RRF by default).
 */
@ApplicationScoped
public class SearchService {

    private final Embedder embedder;
    private final CollectionIndexes indexes;
    private final SearchConfig config;
    private final MeterRegistry registry;
    private final EmbeddingSpaces spaces;
    private final MediaProcessor media;

    SearchService(Embedder embedder, CollectionIndexes indexes, SearchConfig config, MeterRegistry registry,
            EmbeddingSpaces spaces, MediaProcessor media) {
        this.embedder = embedder;
        this.indexes = indexes;
        this.config = config;
        this.registry = registry;
        this.spaces = spaces;
        this.media = media;
    }

    /** Ranked hits for a text query, best first. */
    public List<SearchHit> search(CollectionEntity collection, String query, int k, SearchMode mode, Fusion fusion,
            SearchFilter filter) {
        return search(collection, new Query(query, null), k, mode, fusion, filter);
    }

    /** The text read from an image query (OCR), empty when OCR is off or finds nothing. */
    public String imageText(BufferedImage image) {
        if (image == null || !media.ocrEnabled()) {
            return "";
        }
        return media.ocr().recognize(image, 0).text();
    }

    /**
     * A query: text, an image, or both.
     *
     * @param text what the user typed, may be null or blank when there is an image
     * @param image the query image, or null
     */
    public record Query(String text, BufferedImage image) {
    }

    /**
     * Ranked hits, best first.
     *
     * @throws IllegalArgumentException when the query gives nothing to search with (an image without legible text in
     *     a collection without a native space, or a keyword search with an image alone)
     */
    public List<SearchHit> search(CollectionEntity collection, Query query, int k, SearchMode mode, Fusion fusion,
            SearchFilter filter) {
        Timer.Sample sample = Timer.start(registry);
        try {
            spaces.checkText(collection);
            Optional<Embedder> nativeEmbedder = spaces.nativeFor(collection);
            String typed = query.text() == null ? "" : query.text().strip();
            String text = typed;
            if (query.image() != null) {
                text = (typed + "\n" + imageText(query.image())).strip();
            }
            if (text.length() > config.maxQueryLength()) {
                text = text.substring(0, config.maxQueryLength());
            }
            float[] nativeVector = null;
            if (nativeEmbedder.isPresent() && mode != SearchMode.KEYWORD) {
                nativeVector = query.image() != null ? nativeEmbedder.get().embedImage(query.image())
                        : typed.isEmpty() ? null : nativeEmbedder.get().embedQuery(typed);
            }
            if (text.isBlank()) {
                if (nativeVector == null) {
                    throw new IllegalArgumentException(query.image() == null ? "query must not be blank"
                            : "the image has no legible text to search with and this collection has no multimodal "
                                    + "embedding space (omnirag.multimodal.embedder); add a text query");
                }
                mode = SearchMode.VECTOR;
            }
            float[] vector = mode == SearchMode.KEYWORD || text.isBlank() ? null : embedder.embedQuery(text);
            SearchRequest request = new SearchRequest(text.isBlank() ? null : text, vector, k, mode, fusion,
                    config.vectorWeight(), filter, nativeVector);
            return indexes.get(collection).search(request);
        } finally {
            sample.stop(Timer.builder("omnirag.search.latency").description("Search latency, query embedding included")
                    .tag("mode", mode.name().toLowerCase(java.util.Locale.ROOT))
                    .publishPercentileHistogram().register(registry));
        }
    }
}
