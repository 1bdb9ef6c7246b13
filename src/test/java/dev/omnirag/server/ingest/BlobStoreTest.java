package dev.omnirag.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {

    @TempDir
    Path dir;

    @Test
    void anAdoptedFileMovesInUnderItsHashAndASecondCopyIsDropped() throws Exception {
        BlobStore blobs = new BlobStore(dir.resolve("blobs"));
        Path first = Files.writeString(dir.resolve("entry-1.bin"), "the same bytes", StandardCharsets.UTF_8);
        Path second = Files.writeString(dir.resolve("entry-2.bin"), "the same bytes", StandardCharsets.UTF_8);
        String sha = BlobStore.hash(first);

        assertThat(blobs.adopt(first, sha)).isEqualTo(sha);
        assertThat(blobs.adopt(second, sha)).isEqualTo(sha);

        assertThat(first).doesNotExist();
        assertThat(second).doesNotExist();
        assertThat(blobs.path(sha)).hasContent("the same bytes");
        // Stored the way put stores it: the same hash, the same place.
        Path third = Files.writeString(dir.resolve("upload.bin"), "the same bytes", StandardCharsets.UTF_8);
        assertThat(blobs.put(third)).isEqualTo(sha);
        assertThat(third).exists();
    }
}
