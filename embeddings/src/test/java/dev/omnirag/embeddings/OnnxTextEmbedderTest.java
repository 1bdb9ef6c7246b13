package dev.omnirag.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OnnxTextEmbedderTest {

    private static OnnxTextEmbedder embedder;

    @BeforeAll
    static void load() {
        embedder = OnnxTextEmbedder.bgeSmallEnV15();
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    @Test
    void tokenIdsOfItsOwnTokenizerDecodeToTheirText() {
        // bge-small's WordPiece ids of "flutter destroys wings" ([CLS] and [SEP] left out), from its tokenizer.json.
        try (ai.djl.huggingface.tokenizers.HuggingFaceTokenizer t = HuggingFaceTokenizers.load(
                OnnxTextEmbedder.class.getClassLoader().getResourceAsStream("bge-small-en-v1.5-q-tokenizer.json"),
                java.util.Map.of())) {
            long[] ids = t.encode("flutter destroys wings", false, false).getIds();
            int[] tokens = java.util.Arrays.stream(ids).mapToInt(x -> (int) x).toArray();
            assertThat(embedder.decode(tokens)).contains("flutter destroys wings");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // Ids past the vocabulary (30,522 entries; OpenAI's tiktoken ids go to 100,000+) are not its own.
        assertThat(embedder.decode(new int[] {101, 30521})).isPresent();
        assertThat(embedder.decode(new int[] {30522})).isEmpty();
        assertThat(embedder.decode(new int[] {-1})).isEmpty();
    }

    @Test
    void bgeSmallProduces384DimensionalUnitVectors() {
        assertThat(embedder.dimensions()).isEqualTo(384);
        float[] v = embedder.embedDocument("Lift and drag of a swept wing at supersonic speed.");
        assertThat(v).hasSize(384);
        assertThat(norm(v)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    void threadsThatSleepInsteadOfSpinningGiveTheSameVectors() {
        // Only a run of several threads has idle threads that could spin.
        try (OnnxTextEmbedder sleeping = OnnxTextEmbedder.bgeSmallEnV15Builder()
                .threads(2)
                .parallelRuns(1)
                .spinWait(false)
                .build()) {
            String text = "Lift and drag of a swept wing at supersonic speed.";
            assertThat(dot(sleeping.embedDocument(text), embedder.embedDocument(text)))
                    .isGreaterThan(0.99999);
        }
    }

    @Test
    void documentInstructionPrefixesDocumentsButNotQueries() {
        try (OnnxTextEmbedder prefixed = OnnxTextEmbedder.bgeSmallEnV15Builder()
                .documentInstruction("passage: ")
                .build()) {
            String text = "Lift and drag of a swept wing at supersonic speed.";
            assertThat(dot(prefixed.embedDocument(text), embedder.embedDocument("passage: " + text)))
                    .isGreaterThan(0.99999);
            assertThat(dot(prefixed.embedDocument(text), embedder.embedDocument(text)))
                    .isLessThan(0.9999);
            assertThat(dot(prefixed.embedQuery("swept wing"), embedder.embedQuery("swept wing")))
                    .isGreaterThan(0.99999);
        }
    }

    @Test
    void e5SmallIsASecondModelThatAlsoRanksTheRelevantPassageFirst() {
        try (OnnxTextEmbedder e5 = OnnxTextEmbedder.e5SmallV2()) {
            assertThat(e5.dimensions()).isEqualTo(384);
            assertThat(e5.spaceName()).isEqualTo("e5-small-v2-int8");
            String passage =
                    "An adverse pressure gradient slows the boundary layer until the flow separates from the wing surface.";
            float[] q = e5.embedQuery("what causes boundary layer separation on a wing");
            List<float[]> docs = e5.embedDocuments(
                    List.of(passage, "The recipe calls for two cups of flour, sugar and a pinch of salt."));
            assertThat(norm(docs.get(0))).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
            assertThat(dot(q, docs.get(0))).isGreaterThan(dot(q, docs.get(1)) + 0.05);
            // e5 marks each passage with its "passage: " prefix.
            try (OnnxTextEmbedder bare =
                    OnnxTextEmbedder.e5SmallV2Builder().documentInstruction("").build()) {
                assertThat(dot(docs.get(0), bare.embedDocument("passage: " + passage)))
                        .isGreaterThan(0.99999);
            }
        }
    }

    @Test
    void queryIsCloserToRelevantPassageThanToUnrelatedOne() {
        float[] q = embedder.embedQuery("what causes boundary layer separation on a wing");
        List<float[]> docs = embedder.embedDocuments(List.of(
                "An adverse pressure gradient slows the boundary layer until the flow separates from the wing surface.",
                "The recipe calls for two cups of flour, sugar and a pinch of salt."));
        assertThat(dot(q, docs.get(0))).isGreaterThan(dot(q, docs.get(1)) + 0.1);
    }

    @Test
    void batchedResultsEqualOneByOneResultsInInputOrder() {
        Random random = new Random(7);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 37; i++) {
            StringBuilder sb = new StringBuilder();
            int words = 1 + random.nextInt(60);
            for (int w = 0; w < words; w++) {
                sb.append("word").append(random.nextInt(500)).append(' ');
            }
            texts.add(sb.toString());
        }
        List<float[]> batched = embedder.embedDocuments(texts);
        assertThat(batched).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i += 6) {
            float[] single = embedder.embedDocument(texts.get(i));
            assertThat(dot(single, batched.get(i))).as("text %d", i).isGreaterThan(0.99999);
        }
    }

    @Test
    void parallelRunsGiveEveryTextItsOwnVectorInInputOrder() {
        List<String> texts = randomTexts(new Random(11), 41);
        try (OnnxTextEmbedder oneRun = OnnxTextEmbedder.bgeSmallEnV15Builder()
                        .threads(2)
                        .parallelRuns(1)
                        .build();
                OnnxTextEmbedder threeRuns =
                        OnnxTextEmbedder.bgeSmallEnV15Builder().parallelRuns(3).build()) {
            List<float[]> expected = oneRun.embedDocuments(texts);
            List<float[]> actual = threeRuns.embedDocuments(texts);
            assertThat(actual).hasSize(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                assertThat(dot(expected.get(i), actual.get(i))).as("text %d", i).isGreaterThan(0.99999);
            }
        }
    }

    @Test
    void callersAtTheSameTimeShareTheParallelRunsAndEachGetsItsOwnVectors() throws Exception {
        long seed = System.nanoTime();
        System.out.println("callersAtTheSameTime seed=" + seed);
        Random random = new Random(seed);
        List<List<String>> calls = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            calls.add(randomTexts(random, 1 + random.nextInt(12)));
        }
        List<List<float[]>> expected = new ArrayList<>();
        for (List<String> call : calls) {
            expected.add(embedder.embedDocuments(call));
        }
        try (OnnxTextEmbedder shared =
                        OnnxTextEmbedder.bgeSmallEnV15Builder().parallelRuns(2).build();
                java.util.concurrent.ExecutorService callers =
                        java.util.concurrent.Executors.newFixedThreadPool(calls.size())) {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<List<float[]>>> results = new ArrayList<>();
            for (List<String> call : calls) {
                results.add(callers.submit(() -> {
                    start.await();
                    return shared.embedDocuments(call);
                }));
            }
            start.countDown();
            for (int c = 0; c < calls.size(); c++) {
                List<float[]> got = results.get(c).get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(got).hasSize(calls.get(c).size());
                for (int i = 0; i < got.size(); i++) {
                    assertThat(dot(expected.get(c).get(i), got.get(i)))
                            .as("call %d text %d", c, i)
                            .isGreaterThan(0.99999);
                }
            }
        }
    }

    private static List<String> randomTexts(Random random, int count) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder sb = new StringBuilder();
            int words = 1 + random.nextInt(120);
            for (int w = 0; w < words; w++) {
                sb.append("word").append(random.nextInt(500)).append(' ');
            }
            texts.add(sb.toString());
        }
        return texts;
    }

    @Test
    void paddedBatchesStayCloseToSingleResults() {
        List<String> texts = List.of(
                "short",
                "a somewhat longer sentence about shock waves on a cone",
                "flutter",
                "heat transfer in laminar hypersonic flow over a flat plate with suction");
        try (OnnxTextEmbedder batching =
                OnnxTextEmbedder.bgeSmallEnV15Builder().batchSize(4).build()) {
            List<float[]> batched = batching.embedDocuments(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(dot(embedder.embedDocument(texts.get(i)), batched.get(i)))
                        .as("text %d", i)
                        .isGreaterThan(0.98);
            }
        }
    }

    @Test
    void queryInstructionChangesQueryButNotDocumentVector() {
        String text = "supersonic flutter";
        assertThat(dot(embedder.embedQuery(text), embedder.embedDocument(text))).isLessThan(0.999);
        assertThat(dot(
                        embedder.embedDocument(text),
                        embedder.embedDocuments(List.of(text)).getFirst()))
                .isGreaterThan(0.9999);
    }

    @Test
    void longInputIsTruncatedNotRejected() {
        String longText = "the flow over the plate ".repeat(400);
        assertThat(embedder.countTokens(longText)).isGreaterThan(512);
        assertThat(embedder.embedDocument(longText)).hasSize(384);
    }

    @Test
    void emptyInputsAreHandled() {
        assertThat(embedder.embedDocuments(List.of())).isEmpty();
        assertThat(embedder.embedDocument("")).hasSize(384);
    }

    @Test
    void builderRejectsInvalidParametersNamingThem() {
        assertThatThrownBy(() ->
                        OnnxTextEmbedder.bgeSmallEnV15Builder().batchSize(0).build())
                .hasMessage("batchSize must be in 1..1024; batchSize=0");
        assertThatThrownBy(
                        () -> OnnxTextEmbedder.bgeSmallEnV15Builder().threads(0).build())
                .hasMessage("threads must be in 1..256; threads=0");
        assertThatThrownBy(() ->
                        OnnxTextEmbedder.bgeSmallEnV15Builder().parallelRuns(0).build())
                .hasMessage("parallelRuns must be in 1..256; parallelRuns=0");
        assertThatThrownBy(() -> OnnxTextEmbedder.builder()
                        .spaceName("x")
                        .modelPath(java.nio.file.Path.of("/nonexistent/model.onnx"))
                        .tokenizerResource("bge-small-en-v1.5-q-tokenizer.json")
                        .build())
                .isInstanceOf(EmbeddingException.NonRetriable.class)
                .hasMessageContaining("modelPath=/nonexistent/model.onnx");
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
    }
}
