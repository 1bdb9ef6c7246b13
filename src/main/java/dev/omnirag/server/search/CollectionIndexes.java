package dev.omnirag.server.search;

import dev.omnirag.index.LuceneHybridIndex;
import dev.omnirag.index.VectorIndex;
import dev.omnirag.index.VectorSimilarity;
import dev.omnirag.server.config.IndexConfig;
import dev.omnirag.server.config.OmniragConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * One open Lucene index per collection, under {@code <home>/indexes/<collection id>}, opened on first use and
 * kept open (Lucene readers and writers are meant to be long-lived and shared across threads).
 */
@ApplicationScoped
public class CollectionIndexes {

    private static final Logger LOG = Logger.getLogger(CollectionIndexes.class);

    private final Path root;
    private final IndexConfig config;
    private final Map<UUID, VectorIndex> open = new ConcurrentHashMap<>();

    CollectionIndexes(OmniragConfig home, IndexConfig config) {
        this.root = home.home().resolve("indexes");
        this.config = config;
    }

    /** The collection's index, opened (or created) with the given dimensions. */
    public VectorIndex get(UUID collectionId, int dimensions) {
        return open.computeIfAbsent(collectionId, id -> LuceneHybridIndex.builder()
                .path(root.resolve(id.toString()))
                .dimensions(dimensions)
                .similarity(VectorSimilarity.DOT_PRODUCT)
                .quantization(config.quantization())
                .hnswM(config.hnswM())
                .hnswBeamWidth(config.hnswBeamWidth())
                .efSearch(config.efSearch())
                .hybridCandidates(config.hybridCandidates())
                .rrfK(config.rrfK())
                .build());
    }

    /** Closes and deletes the collection's index. */
    public void drop(UUID collectionId) {
        VectorIndex index = open.remove(collectionId);
        if (index != null) {
            index.close();
        }
        Path dir = root.resolve(collectionId.toString());
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the index at " + dir, e);
            }
        }
    }

    /** True when the index directory can be written (readiness). */
    public boolean writable() {
        try {
            Files.createDirectories(root);
            return Files.isWritable(root);
        } catch (IOException e) {
            return false;
        }
    }

    public int openCount() {
        return open.size();
    }

    @PreDestroy
    void closeAll() {
        open.forEach((id, index) -> {
            try {
                index.close();
            } catch (RuntimeException e) {
                LOG.warnf("closing the index of collection %s failed: %s", id, e.getMessage());
            }
        });
        open.clear();
    }
}
