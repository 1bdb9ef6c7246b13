package dev.omnirag.server.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnirag.embeddings.Embedder;
import dev.omnirag.embeddings.Modality;
import dev.omnirag.server.db.CollectionEntity;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A collection's fixed spaces against the configured embedders. Only names, sizes and modalities matter here,
 * so the embedders are declared by a small record (real models would also load native tokenizer code, which
 * cannot be loaded twice in the JVM the Quarkus tests share).
 */
class EmbeddingSpacesTest {

    /** An embedder that only declares its space. */
    record Declared(String spaceName, int dimensions, Set<Modality> modalities) implements Embedder {
        public List<float[]> embedDocuments(List<String> texts) {
            throw new UnsupportedOperationException("not needed");
        }

        public float[] embedQuery(String query) {
            throw new UnsupportedOperationException("not needed");
        }

        public int countTokens(String text) {
            return 0;
        }

        public int maxTokens() {
            return 8;
        }

        public void close() {}
    }

    static final Embedder TEXT = new Declared("bge", 384, Set.of(Modality.TEXT));
    static final Embedder CLIP = new Declared("tiny-clip", 3, Set.of(Modality.TEXT, Modality.IMAGE));
    static final Embedder OTHER = new Declared("other-clip", 3, Set.of(Modality.TEXT, Modality.IMAGE));

    static CollectionEntity collection(String space, Integer dims) {
        CollectionEntity c = new CollectionEntity();
        c.name = "pictures";
        c.embeddingSpace = "bge";
        c.dimensions = 384;
        c.nativeSpace = space;
        c.nativeDimensions = dims;
        return c;
    }

    @Test
    void aCollectionWithoutNativeSpaceUsesTheTextPathOnly() {
        EmbeddingSpaces spaces = new EmbeddingSpaces(TEXT, CLIP);
        assertThat(spaces.nativeFor(collection(null, null))).isEmpty();
        assertThat(spaces.nativeFor(collection("tiny-clip", 3))).contains(CLIP);
        spaces.checkText(collection(null, null));
        assertThat(new EmbeddingSpaces(TEXT, TEXT).multimodal())
                .as("a text-only second embedder is no image tower")
                .isEmpty();
    }

    @Test
    void aCollectionUsesTheCompanionItWasCreatedWithAndFailsClearlyWithoutIt() {
        Embedder e5 = new Declared("e5-small-v2-int8", 384, Set.of(Modality.TEXT));
        CollectionEntity before = collection(null, null);
        CollectionEntity with = collection(null, null);
        with.companionSpace = "e5-small-v2-int8";
        with.companionDimensions = 384;

        assertThat(new EmbeddingSpaces(TEXT, null, e5).companionFor(before))
                .as("created before the companion")
                .isEmpty();
        assertThat(new EmbeddingSpaces(TEXT, null, e5).companionFor(with)).contains(e5);
        assertThat(new EmbeddingSpaces(TEXT, null, e5).companion()).contains(e5);
        assertThatThrownBy(() -> new EmbeddingSpaces(TEXT, null).companionFor(with))
                .isInstanceOf(SpaceMismatchException.class)
                .hasMessageContaining("companion embedding space e5-small-v2-int8 (384 dimensions)")
                .hasMessageContaining("not configured")
                .hasMessageContaining("omnirag.embedder.companion");
        assertThatThrownBy(() -> new EmbeddingSpaces(TEXT, null, TEXT).companionFor(with))
                .isInstanceOf(SpaceMismatchException.class)
                .hasMessageContaining("is bge (384 dimensions)");
    }

    @Test
    void laterMismatchesFailWithAMessageNamingBothSpaces() {
        assertThatThrownBy(() -> new EmbeddingSpaces(TEXT, OTHER).nativeFor(collection("tiny-clip", 3)))
                .isInstanceOf(SpaceMismatchException.class)
                .hasMessageContaining("tiny-clip (3 dimensions)")
                .hasMessageContaining("other-clip (3 dimensions)");
        assertThatThrownBy(() -> new EmbeddingSpaces(TEXT, null).nativeFor(collection("tiny-clip", 3)))
                .isInstanceOf(SpaceMismatchException.class)
                .hasMessageContaining("not configured");
        assertThatThrownBy(() -> new EmbeddingSpaces(OTHER, null).checkText(collection(null, null)))
                .isInstanceOf(SpaceMismatchException.class)
                .hasMessageContaining("embedding space bge (384 dimensions)")
                .hasMessageContaining("embeds with other-clip");
    }
}
