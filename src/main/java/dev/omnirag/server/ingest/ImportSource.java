package dev.omnirag.server.ingest;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where an import's files come from, one at a time and always in the same order (an import resumes by position):
 * an uploaded archive ({@link ArchiveReader}) or a server-side directory ({@link DirectoryReader}).
 */
public interface ImportSource extends AutoCloseable {

    /** What the source has at one position: a file, or an entry skipped with a reason. */
    sealed interface Entry permits File, Skipped {
        /** The entry's name: its path inside the archive or directory. */
        String name();
    }

    /**
     * A regular file at {@code path}; {@code temporary}: a copy the caller may move into the blob store or must delete
     * once it is stored (an archive's entry, whose {@code sha256} was computed while it was written), otherwise the
     * original (a directory's file, {@code sha256} null), which is never moved or deleted.
     */
    record File(String name, Path path, long size, boolean temporary, String sha256) implements Entry {}

    /** An entry that is not imported, and why. */
    record Skipped(String name, String reason) implements Entry {}

    /** The next entry; null at the end. */
    Entry next() throws IOException;

    @Override
    void close() throws IOException;
}
