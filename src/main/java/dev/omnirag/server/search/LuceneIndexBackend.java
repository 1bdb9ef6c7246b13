package dev.omnirag.server.search;

import dev.omnirag.index.LuceneHybridIndex;
import dev.omnirag.index.VectorIndex;
import dev.omnirag.index.VectorSimilarity;
import dev.omnirag.server.config.IndexConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/** Lucene indexes on local disk, one directory per collection under {@code <home>/indexes}. */
final class LuceneIndexBackend implements IndexBackend {

    private final Path root;
    private final IndexConfig config;

    LuceneIndexBackend(Path root, IndexConfig config) {
        this.root = root;
        this.config = config;
    }

    @Override
    public VectorIndex open(UUID collectionId, int dimensions, int nativeDimensions, int companionDimensions) {
        return LuceneHybridIndex.builder()
                .path(root.resolve(collectionId.toString()))
                .dimensions(dimensions)
                .nativeDimensions(nativeDimensions)
                .companionDimensions(companionDimensions)
                .similarity(VectorSimilarity.DOT_PRODUCT)
                .quantization(config.quantization())
                .hnswM(config.hnswM())
                .hnswBeamWidth(config.hnswBeamWidth())
                .efSearch(config.efSearch())
                .hybridCandidates(config.hybridCandidates())
                .rrfK(config.rrfK())
                .build();
    }

    @Override
    public void drop(UUID collectionId, VectorIndex open) {
        if (open != null) {
            open.close();
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

    @Override
    public Set<UUID> stored() {
        Set<UUID> out = new HashSet<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            dirs.filter(Files::isDirectory).forEach(d -> {
                try {
                    out.add(UUID.fromString(d.getFileName().toString()));
                } catch (IllegalArgumentException notACollection) {
                    // Not ours; left alone.
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the indexes in " + root, e);
        }
        return out;
    }

    @Override
    public boolean writable() {
        try {
            Files.createDirectories(root);
            return Files.isWritable(root);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {}
}
