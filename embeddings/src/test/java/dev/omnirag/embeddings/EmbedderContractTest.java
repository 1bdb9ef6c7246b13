package dev.omnirag.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The {@link Embedder} contract, which every implementation must pass: declared space, unit vectors of the declared
 * size, one vector per input in input order, the same vector for the same input (also from concurrent callers), and
 * images only where there is an image tower. Subclasses supply the embedder, built once per class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class EmbedderContractTest {

    static final List<String> TEXTS = List.of(
            "Lift and drag of a swept wing at supersonic speed.",
            "Heat transfer to a blunt body",
            "Thin shells buckle under axial compression.");

    private Embedder embedder;

    /** A new embedder under test; closed after the class. */
    protected abstract Embedder create();

    @BeforeAll
    void open() {
        embedder = create();
    }

    @AfterAll
    void close() {
        embedder.close();
    }

    @Test
    void declaresItsSpaceSizeAndTextModality() {
        assertThat(embedder.spaceName()).isNotBlank();
        assertThat(embedder.dimensions()).isPositive();
        assertThat(embedder.modalities()).contains(Modality.TEXT);
        assertThat(embedder.maxTokens()).isPositive();
        assertThat(embedder.countTokens(TEXTS.getFirst())).isPositive();
    }

    @Test
    void vectorsHaveTheDeclaredSizeAndUnitNorm() {
        List<float[]> documents = embedder.embedDocuments(TEXTS);
        assertThat(documents).hasSize(TEXTS.size());
        for (float[] v : documents) {
            assertThat(v).hasSize(embedder.dimensions());
            assertThat(norm(v)).isCloseTo(1.0, offset(1e-3));
        }
        float[] query = embedder.embedQuery("swept wing drag");
        assertThat(query).hasSize(embedder.dimensions());
        assertThat(norm(query)).isCloseTo(1.0, offset(1e-3));
    }

    @Test
    void oneVectorPerInputInInputOrder() {
        List<float[]> batch = embedder.embedDocuments(TEXTS);
        for (int i = 0; i < TEXTS.size(); i++) {
            assertThat(dot(batch.get(i), embedder.embedDocument(TEXTS.get(i))))
                    .as("input %d", i)
                    .isGreaterThan(0.999);
        }
        assertThat(embedder.embedDocuments(List.of())).isEmpty();
    }

    @Test
    void theSameInputGivesTheSameVectorFromConcurrentCallers() throws Exception {
        List<float[]> expected = embedder.embedDocuments(TEXTS);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<float[]>>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> embedder.embedDocuments(TEXTS)));
            }
            for (Future<List<float[]>> f : futures) {
                List<float[]> got = f.get();
                for (int i = 0; i < TEXTS.size(); i++) {
                    assertThat(dot(got.get(i), expected.get(i))).isGreaterThan(0.99999);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void imagesNeedAnImageTower() {
        BufferedImage red = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = red.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 8, 8);
        g.dispose();
        if (embedder.supports(Modality.IMAGE)) {
            float[] v = embedder.embedImage(red);
            assertThat(v).hasSize(embedder.dimensions());
            assertThat(norm(v)).isCloseTo(1.0, offset(1e-3));
        } else {
            assertThatThrownBy(() -> embedder.embedImage(red))
                    .isInstanceOf(EmbeddingException.NonRetriable.class)
                    .hasMessageContaining(embedder.spaceName())
                    .hasMessageContaining("no image tower");
        }
    }

    static double norm(float[] v) {
        return Math.sqrt(dot(v, v));
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
