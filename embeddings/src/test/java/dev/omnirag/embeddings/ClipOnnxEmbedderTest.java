package dev.omnirag.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ClipOnnxEmbedder on a tiny dual encoder written by the test (see {@link TinyClip}): real ONNX Runtime inference. */
class ClipOnnxEmbedderTest {

    @TempDir
    static Path dir;

    private static ClipOnnxEmbedder clip;

    @BeforeAll
    static void load() {
        clip = ClipOnnxEmbedder.builder()
                .directory(TinyClip.write(dir.resolve("tiny-clip")))
                .spaceName("tiny-clip")
                .threads(1)
                .build();
    }

    @AfterAll
    static void close() {
        clip.close();
    }

    static BufferedImage solid(int w, int h, Color color) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return image;
    }

    static float[] unit(double... v) {
        double n = 0;
        for (double x : v) {
            n += x * x;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / Math.sqrt(n));
        }
        return out;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void declaresAMultimodalSpaceReadFromTheDirectory() {
        assertThat(clip.spaceName()).isEqualTo("tiny-clip");
        assertThat(clip.dimensions()).isEqualTo(3);
        assertThat(clip.modalities()).isEqualTo(Set.of(Modality.TEXT, Modality.IMAGE));
        assertThat(clip.preprocessor().size()).isEqualTo(8);
        assertThat(clip.preprocessor().mean()).containsExactly(0.5f, 0.5f, 0.5f);
        assertThat(clip.maxTokens()).isEqualTo(16);
    }

    @Test
    void preprocessingResizesTheShortSideCropsTheCentreAndNormalises() {
        ImagePreprocessor p = new ImagePreprocessor(4, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f});
        // 600x100 in thirds red | green | blue: the short side becomes 4, the width 24, the centre 4 columns
        // (10..13) lie inside the green third (8..15), so every value is green's (-1, 1, -1).
        BufferedImage wide = new BufferedImage(600, 100, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = wide.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 200, 100);
        g.setColor(Color.GREEN);
        g.fillRect(200, 0, 200, 100);
        g.setColor(Color.BLUE);
        g.fillRect(400, 0, 200, 100);
        g.dispose();
        float[][][] t = p.apply(wide);
        assertThat(t.length).isEqualTo(3);
        assertThat(t[0].length).isEqualTo(4);
        assertThat(t[0][0].length).isEqualTo(4);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                assertThat(t[0][y][x]).as("R at %d,%d", x, y).isCloseTo(-1f, offset(1e-6f));
                assertThat(t[1][y][x]).as("G at %d,%d", x, y).isCloseTo(1f, offset(1e-6f));
                assertThat(t[2][y][x]).as("B at %d,%d", x, y).isCloseTo(-1f, offset(1e-6f));
            }
        }
        // (Without the centre crop, squashing the whole image, the values would mix all three colours.)
        // Grey 128 normalises to (128/255 - 0.5) / 0.5 on every channel; transparency becomes white (1, 1, 1).
        assertThat(p.apply(solid(3, 5, new Color(128, 128, 128)))[1][2][3])
                .isCloseTo((128 / 255f - 0.5f) / 0.5f, offset(1e-6f));
        BufferedImage clear = new BufferedImage(10, 10, BufferedImage.TYPE_INT_ARGB);
        assertThat(p.apply(clear)[0][0][0]).isCloseTo(1f, offset(1e-6f));
    }

    @Test
    void imageVectorsAreTheNormalisedMeanColour() {
        assertVector(clip.embedImage(solid(20, 10, Color.RED)), unit(1, -1, -1));
        assertVector(clip.embedImage(solid(10, 30, Color.BLUE)), unit(-1, -1, 1));
        BufferedImage mostlyWhite = solid(8, 8, Color.WHITE);
        Graphics2D g = mostlyWhite.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 8, 2); // a quarter red: mean = 0.75·(1,1,1) + 0.25·(1,-1,-1) = (1, 0.5, 0.5)
        g.dispose();
        assertVector(clip.embedImage(mostlyWhite), unit(1, 0.5, 0.5));
    }

    @Test
    void textVectorsAreTheNormalisedMeanTokenEmbedding() {
        assertVector(clip.embedQuery("red"), unit(1, -1, -1));
        // "a RED picture": [UNK] red [UNK] → mean of (0.01,0.01,0.01), (1,-1,-1), (0.01,0.01,0.01).
        double u = TinyClip.UNK;
        assertVector(clip.embedQuery("a RED picture"), unit(1 + 2 * u, -1 + 2 * u, -1 + 2 * u));
        // "green and blue": (-1,1,-1), [UNK], (-1,-1,1) → mean ((-2+u)/3, u/3, u/3).
        assertVector(clip.embedDocuments(List.of("green and blue")).getFirst(), unit(-2 + u, u, u));
        assertThat(clip.countTokens("a red picture")).isEqualTo(3);
    }

    @Test
    void aTextQueryRanksTheImageOfItsColourFirst() {
        String property = System.getProperty("tests.seed");
        long seed = property == null || property.isBlank() ? new Random().nextLong() : Long.parseLong(property.trim());
        System.out.println("ClipOnnxEmbedderTest ranking seed=" + seed);
        Random random = new Random(seed);
        Map<String, Color> colours = Map.of("red", Color.RED, "green", Color.GREEN, "blue", Color.BLUE);
        List<String> names = new ArrayList<>();
        List<BufferedImage> images = new ArrayList<>();
        for (Map.Entry<String, Color> e : colours.entrySet()) {
            for (int i = 0; i < 3; i++) {
                names.add(e.getKey() + "-" + i);
                images.add(noisy(e.getValue(), random));
            }
        }
        List<float[]> vectors = clip.embedImages(images);
        for (String colour : colours.keySet()) {
            float[] q = clip.embedQuery("a photo of something " + colour);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                order.add(i);
            }
            order.sort(Comparator.comparingDouble(i -> -dot(q, vectors.get(i))));
            assertThat(names.get(order.getFirst()))
                    .as("seed=%d, query %s", seed, colour)
                    .startsWith(colour + "-");
            assertThat(order.subList(0, 3))
                    .as("seed=%d", seed)
                    .allMatch(i -> names.get(i).startsWith(colour + "-"));
        }
    }

    /** A picture mostly of the colour with random noise pixels and a random size. */
    private static BufferedImage noisy(Color colour, Random random) {
        int w = 16 + random.nextInt(64);
        int h = 16 + random.nextInt(64);
        BufferedImage image = solid(w, h, colour);
        for (int n = 0; n < w * h / 10; n++) {
            image.setRGB(random.nextInt(w), random.nextInt(h), random.nextInt(0x1000000));
        }
        return image;
    }

    @Test
    void missingFilesAndBadConfigurationFailClearly() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> ClipOnnxEmbedder.builder()
                        .directory(empty)
                        .spaceName("x")
                        .build())
                .isInstanceOf(EmbeddingException.NonRetriable.class)
                .hasMessageContaining("has no vision.onnx");
        assertThatThrownBy(() -> ClipOnnxEmbedder.builder()
                        .directory(dir.resolve("nope"))
                        .spaceName("x")
                        .build())
                .isInstanceOf(EmbeddingException.NonRetriable.class)
                .hasMessageContaining("directory=" + dir.resolve("nope"));
        assertThatThrownBy(() -> ClipOnnxEmbedder.builder().spaceName("x").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("directory is required; directory=null");
        assertThatThrownBy(() -> ClipOnnxEmbedder.builder()
                        .directory(empty)
                        .spaceName(" ")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spaceName must not be blank");

        Path noStd = TinyClip.write(dir.resolve("no-std"));
        Files.writeString(
                noStd.resolve(ClipOnnxEmbedder.PREPROCESSOR), "{\"crop_size\": 8, \"image_mean\": [0.5, 0.5, 0.5]}");
        assertThatThrownBy(() -> ClipOnnxEmbedder.builder()
                        .directory(noStd)
                        .spaceName("x")
                        .build())
                .isInstanceOf(EmbeddingException.NonRetriable.class)
                .hasMessageContaining("image_std must be an array of 3 numbers");

        Path broken = TinyClip.write(dir.resolve("broken"));
        Files.write(broken.resolve(ClipOnnxEmbedder.VISION_MODEL), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> ClipOnnxEmbedder.builder()
                        .directory(broken)
                        .spaceName("x")
                        .build())
                .isInstanceOf(EmbeddingException.NonRetriable.class)
                .hasMessageContaining("cannot load the CLIP model");
    }

    @Test
    void aTextOnlyEmbedderRefusesImagesByDefault() {
        Embedder textOnly = new Embedder() {
            public String spaceName() {
                return "text-only";
            }

            public int dimensions() {
                return 1;
            }

            public List<float[]> embedDocuments(List<String> texts) {
                return texts.stream().map(t -> new float[] {1}).toList();
            }

            public float[] embedQuery(String query) {
                return new float[] {1};
            }

            public int countTokens(String text) {
                return 1;
            }

            public int maxTokens() {
                return 8;
            }

            public void close() {}
        };
        assertThat(textOnly.supports(Modality.IMAGE)).isFalse();
        assertThatThrownBy(() -> textOnly.embedImage(solid(2, 2, Color.RED)))
                .isInstanceOf(EmbeddingException.NonRetriable.class)
                .hasMessageContaining("text-only cannot embed images");
    }

    private static void assertVector(float[] actual, float[] expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i])
                    .as("component %d of %s", i, java.util.Arrays.toString(actual))
                    .isCloseTo(expected[i], offset(1e-5f));
        }
    }
}
