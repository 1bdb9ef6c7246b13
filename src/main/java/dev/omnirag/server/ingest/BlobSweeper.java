package dev.omnirag.server.ingest;

import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Removes original files that no document refers to: blobs of uploads whose row was never written (the database
 * failed, the server died between storing the file and recording it) and temporary files of interrupted copies.
 * Runs once after start-up, on a thread of its own, and leaves alone anything written in the last
 * {@link #GRACE} (an upload of another replica sharing the blob store may be about to record it).
 */
@ApplicationScoped
public class BlobSweeper {

    private static final Logger LOG = Logger.getLogger(BlobSweeper.class);
    /** Files younger than this are never removed. */
    static final Duration GRACE = Duration.ofMinutes(10);

    private final BlobStore blobs;
    private final Pool pool;

    BlobSweeper(BlobStore blobs, Pool pool) {
        this.blobs = blobs;
        this.pool = pool;
    }

    void start(@Observes StartupEvent event) {
        Thread t = new Thread(
                () -> {
                    try {
                        sweep(Instant.now().minus(GRACE));
                    } catch (RuntimeException e) {
                        LOG.warnf(
                                e, "The sweep of unreferenced original files failed; it runs again at the next start");
                    }
                },
                "omnirag-blob-sweep");
        t.setDaemon(true);
        t.start();
    }

    /** Removes unreferenced blobs and temporary files last modified before {@code cutoff}; returns how many. */
    public int sweep(Instant cutoff) {
        int removed = 0;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(blobs.root())) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (Files.isRegularFile(dir) && name.startsWith("upload-") && name.endsWith(".tmp")) {
                    removed += removeIfOlder(dir, cutoff) ? 1 : 0;
                } else if (Files.isDirectory(dir) && name.matches("[0-9a-f]{2}")) {
                    removed += sweepPrefix(dir, name, cutoff);
                }
            }
        } catch (IOException e) {
            LOG.warnf("Cannot list the blob store %s: %s", blobs.root(), e.getMessage());
        }
        if (removed > 0) {
            LOG.infof("Removed %d original file(s) that no document refers to", removed);
        }
        return removed;
    }

    private int sweepPrefix(Path dir, String prefix, Instant cutoff) throws IOException {
        Set<String> referenced = null;
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                if (!Files.isRegularFile(file)
                        || !Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
                    continue;
                }
                if (referenced == null) {
                    referenced = referenced(prefix);
                }
                if (!referenced.contains(file.getFileName().toString()) && removeIfOlder(file, cutoff)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    private Set<String> referenced(String prefix) {
        Set<String> shas = new HashSet<>();
        for (Row row : pool.preparedQuery("SELECT DISTINCT sha256 FROM documents WHERE sha256 LIKE $1")
                .execute(Tuple.of(prefix + "%"))
                .await()
                .atMost(Duration.ofMinutes(1))) {
            shas.add(row.getString(0));
        }
        return shas;
    }

    private static boolean removeIfOlder(Path file, Instant cutoff) throws IOException {
        FileTime modified = Files.getLastModifiedTime(file);
        return modified.toInstant().isBefore(cutoff) && Files.deleteIfExists(file);
    }
}
