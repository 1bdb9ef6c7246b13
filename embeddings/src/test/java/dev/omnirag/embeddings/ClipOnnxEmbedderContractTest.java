package dev.omnirag.embeddings;

import java.nio.file.Files;
import java.nio.file.Path;

/** The CLIP-layout dual encoder, with the tiny model the tests write ({@link TinyClip}), against the contract. */
class ClipOnnxEmbedderContractTest extends EmbedderContractTest {
    @Override
    protected Embedder create() {
        try {
            Path dir = Files.createTempDirectory("tiny-clip-contract");
            return ClipOnnxEmbedder.builder()
                    .directory(TinyClip.write(dir.resolve("tiny-clip")))
                    .spaceName("tiny-clip")
                    .threads(1)
                    .build();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
