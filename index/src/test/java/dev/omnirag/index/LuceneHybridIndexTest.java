package dev.omnirag.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;

/** The contract plus what is specific to the Lucene implementation: configuration, files, quantization. */
class LuceneHybridIndexTest extends VectorIndexContractTest {

    @Override
    protected VectorIndex newIndex(Path dir, int dimensions, int nativeDimensions) {
        return LuceneHybridIndex.builder()
                .path(dir)
                .dimensions(dimensions)
                .nativeDimensions(nativeDimensions)
                .build();
    }

    private static LuceneHybridIndex.Builder builder(Path dir) {
        return LuceneHybridIndex.builder().path(dir).dimensions(DIMS);
    }

    /** The number of documents in the last commit, as a fresh process would see it. */
    private static int committedCount(Path dir) throws Exception {
        try (FSDirectory directory = FSDirectory.open(dir)) {
            if (!DirectoryReader.indexExists(directory)) {
                return 0;
            }
            try (DirectoryReader reader = DirectoryReader.open(directory)) {
                return reader.numDocs();
            }
        }
    }

    /**
     * Two chunks the main model cannot tell apart (the same text vector) but the companion model can: the companion
     * list decides, with the share of the vector weight the query gives it.
     */
    @Test
    void theCompanionFieldIsSearchedAsOneMoreListWithItsShareOfTheVectorWeight() {
        index.close();
        index = builder(dir.resolve("companion")).companionDimensions(3).build();
        assertThat(index.companionDimensions()).isEqualTo(3);
        index.upsert(List.of(
                new IndexedChunk("a", "d1", "a.txt", "text/plain", "wing lift", QUERY, null, null, null, unit(1, 0, 0)),
                new IndexedChunk("b", "d2", "b.txt", "text/plain", "wing drag", QUERY, null, null, null, unit(0, 1, 0)),
                new IndexedChunk("c", "d3", "c.txt", "text/plain", "no companion", unit(0, 1, 0, 0), null, null)));

        SearchRequest plain =
                new SearchRequest("wing", QUERY, 10, SearchMode.HYBRID, Fusion.WEIGHTED, 0.6, SearchFilter.NONE);
        List<SearchHit> withCompanion =
                index.search(plain.withCompanion(new SearchRequest.CompanionQuery(unit(0, 1, 0), 0.25)));

        // b: keyword 0.4 * 1 (both tie on BM25... "wing" in both) + text vector 0.45 * 1 + companion 0.15 * 1.
        assertThat(withCompanion.get(0).chunkId()).isEqualTo("b");
        assertThat(withCompanion.get(0).score()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(withCompanion.get(1).chunkId()).isEqualTo("a");
        assertThat(withCompanion.get(1).score()).isCloseTo(0.4 + 0.45, org.assertj.core.data.Offset.offset(1e-6));
        // Without the companion query the same two tie and fall back to id order.
        assertThat(index.search(plain).stream().map(SearchHit::chunkId).limit(2))
                .containsExactly("a", "b");
        // VECTOR with a companion query fuses the two vector lists; "c" has no companion vector but a text vector.
        List<SearchHit> vector = index.search(
                new SearchRequest(null, QUERY, 10, SearchMode.VECTOR, Fusion.WEIGHTED, 0.5, SearchFilter.NONE)
                        .withCompanion(new SearchRequest.CompanionQuery(unit(1, 0, 0), 0.5)));
        assertThat(vector.stream().map(SearchHit::chunkId)).containsExactly("a", "b", "c");
    }

    @Test
    void companionVectorsNeedACompanionFieldOfTheirSize() {
        assertThatThrownBy(() -> index.upsert(List.of(new IndexedChunk(
                        "c", "d", "f.txt", "text/plain", "x", QUERY, null, null, null, unit(1, 0, 0)))))
                .isInstanceOf(IndexException.NonRetriable.class)
                .hasMessageContaining("companion vector of chunk c")
                .hasMessageContaining("companionDimensions=0");
        assertThatThrownBy(() -> index.search(SearchRequest.of("x", QUERY, 5, SearchMode.HYBRID)
                        .withCompanion(new SearchRequest.CompanionQuery(unit(1, 0, 0), 0.25))))
                .isInstanceOf(IndexException.NonRetriable.class)
                .hasMessageContaining("companion query vector");
        index.close();
        Path path = dir.resolve("sized");
        index = builder(path).companionDimensions(3).build();
        index.upsert(List.of(
                new IndexedChunk("c", "d", "f.txt", "text/plain", "x", QUERY, null, null, null, unit(1, 0, 0))));
        index.commit();
        index.close();
        assertThatThrownBy(() -> builder(path).companionDimensions(5).build())
                .isInstanceOf(IndexException.NonRetriable.class)
                .hasMessageContaining("holds companion vectors of 3 dimensions but companionDimensions=5");
        // Turning the companion off keeps the index usable: its companion vectors are simply not searched.
        index = builder(path).build();
        assertThat(index.search(SearchRequest.of("x", QUERY, 5, SearchMode.HYBRID)))
                .hasSize(1);
    }

    @Test
    void builderRejectsInvalidParameters() {
        assertRejected(b -> b.dimensions(0), "dimensions must be in 1..4096; dimensions=0");
        assertRejected(b -> b.dimensions(4097), "dimensions must be in 1..4096; dimensions=4097");
        assertRejected(b -> b.hnswM(1), "hnswM must be in 2..512; hnswM=1");
        assertRejected(b -> b.hnswM(513), "hnswM must be in 2..512; hnswM=513");
        assertRejected(b -> b.hnswBeamWidth(0), "hnswBeamWidth must be in 1..3200; hnswBeamWidth=0");
        assertRejected(b -> b.efSearch(0), "efSearch must be in 1..10000; efSearch=0");
        assertRejected(b -> b.hybridCandidates(0), "hybridCandidates must be in 1..10000; hybridCandidates=0");
        assertRejected(b -> b.rrfK(-1), "rrfK must be in 0..10000; rrfK=-1");
        assertRejected(
                b -> b.companionDimensions(-1), "companionDimensions must be in 0..4096; companionDimensions=-1");
        assertThatThrownBy(() -> LuceneHybridIndex.builder().path(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("path must not be null");
        assertThatThrownBy(() -> LuceneHybridIndex.builder().similarity(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> LuceneHybridIndex.builder().quantization(null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> LuceneHybridIndex.builder().analyzer(null)).isInstanceOf(NullPointerException.class);
    }

    private static void assertRejected(Consumer<LuceneHybridIndex.Builder> setter, String message) {
        assertThatThrownBy(() -> setter.accept(LuceneHybridIndex.builder()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void builderRequiresPathAndDimensions() {
        assertThatThrownBy(() -> LuceneHybridIndex.builder().dimensions(4).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("path is required");
        assertThatThrownBy(
                        () -> LuceneHybridIndex.builder().path(dir.resolve("x")).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("dimensions is required");
    }

    @Test
    void builderDefaultsAreDocumentedValues() {
        index.close();
        try (LuceneHybridIndex lucene = builder(dir).build()) {
            assertThat(lucene.dimensions()).isEqualTo(DIMS);
            assertThat(lucene.path()).isEqualTo(dir);
            assertThat(lucene.similarity()).isEqualTo(VectorSimilarity.DOT_PRODUCT);
            assertThat(lucene.quantization()).isEqualTo(VectorQuantization.NONE);
        }
    }

    @Test
    void commitMakesChangesDurable() throws Exception {
        index.upsert(List.of(chunk("c1", "d1", "hello", QUERY)));
        assertThat(committedCount(dir)).isZero();

        index.commit();
        assertThat(committedCount(dir)).isEqualTo(1);
    }

    @Test
    void dataSurvivesReopen() {
        index.upsert(List.of(new IndexedChunk(
                "c1",
                "d1",
                "a.pdf",
                "application/pdf",
                "durable text",
                QUERY,
                new Locator(2, 0, 12),
                Map.of("lang", "en"))));
        index.commit();
        index.close();

        index = newIndex(dir);
        assertThat(index.count()).isEqualTo(1);
        List<SearchHit> hits = index.search(SearchRequest.of("durable", QUERY, 5, SearchMode.HYBRID));
        assertThat(hits).singleElement().satisfies(h -> {
            assertThat(h.locator()).isEqualTo(new Locator(2, 0, 12));
            assertThat(h.metadata()).containsEntry("lang", "en");
        });
    }

    @Test
    void deferredUpsertsBetweenTwoCommitsMakeOneSegmentAndReachSearchAtTheCommit() throws Exception {
        for (int i = 0; i < 5; i++) {
            index.upsertDeferred(List.of(chunk("c" + i, "d" + i, "deferred text " + i, QUERY)));
        }
        assertThat(index.search(SearchRequest.of("deferred", null, 10, SearchMode.KEYWORD)))
                .as("not searchable before the commit")
                .isEmpty();

        index.commit();

        assertThat(index.search(SearchRequest.of("deferred", null, 10, SearchMode.KEYWORD)))
                .hasSize(5);
        try (FSDirectory directory = FSDirectory.open(dir);
                DirectoryReader reader = DirectoryReader.open(directory)) {
            assertThat(reader.leaves()).as("segments").hasSize(1);
            assertThat(reader.numDocs()).isEqualTo(5);
        }
    }

    @Test
    void closeCommitsPendingChanges() throws Exception {
        index.upsert(List.of(chunk("c1", "d1", "hello", QUERY)));
        index.close();
        assertThat(committedCount(dir)).isEqualTo(1);
    }

    @Test
    void operationsAfterCloseFailAndCloseIsIdempotent() {
        index.close();
        index.close();
        assertThatThrownBy(() -> index.search(SearchRequest.of("x", null, 1, SearchMode.KEYWORD)))
                .isInstanceOf(IndexException.NonRetriable.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> index.upsert(List.of(chunk("c1", "d1", "x", QUERY))))
                .isInstanceOf(IndexException.NonRetriable.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> index.count()).isInstanceOf(IndexException.NonRetriable.class);
    }

    @Test
    void reopeningWithOtherDimensionsFails() {
        index.upsert(List.of(chunk("c1", "d1", "x", QUERY)));
        index.close();

        assertThatThrownBy(() ->
                        LuceneHybridIndex.builder().path(dir).dimensions(8).build())
                .isInstanceOf(IndexException.NonRetriable.class)
                .hasMessageContaining("4 dimensions")
                .hasMessageContaining("dimensions=8")
                .hasMessageContaining(dir.toString());
        // The failed open released the lock: the index can still be opened as configured.
        index = newIndex(dir);
        assertThat(index.count()).isEqualTo(1);
    }

    @Test
    void reopeningWithOtherNativeDimensionsFails() {
        index.close();
        index = builder(dir).nativeDimensions(3).build();
        index.upsert(
                List.of(new IndexedChunk("c1", "d1", "a.png", "image/png", "x", QUERY, null, null, unit(1, 0, 0))));
        index.close();

        assertThatThrownBy(() -> builder(dir).nativeDimensions(5).build())
                .isInstanceOf(IndexException.NonRetriable.class)
                .hasMessageContaining("native vectors of 3 dimensions")
                .hasMessageContaining("nativeDimensions=5");
        index = builder(dir).nativeDimensions(3).build();
        assertThat(index.count()).isEqualTo(1);
    }

    @Test
    void reopeningWithOtherSimilarityFails() {
        index.upsert(List.of(chunk("c1", "d1", "x", QUERY)));
        index.close();

        assertThatThrownBy(() ->
                        builder(dir).similarity(VectorSimilarity.EUCLIDEAN).build())
                .isInstanceOf(IndexException.NonRetriable.class)
                .hasMessageContaining("EUCLIDEAN");
        index = newIndex(dir);
    }

    @Test
    void secondWriterOnSameDirectoryFailsRetriably() {
        assertThatThrownBy(() -> builder(dir).build())
                .isInstanceOf(IndexException.Retriable.class)
                .hasMessageContaining(dir.toString());
    }

    @Test
    void dotProductRejectsVectorsThatAreNotUnitLength() {
        assertThatThrownBy(() -> index.upsert(List.of(chunk("c1", "d1", "x", new float[] {2, 0, 0, 0}))))
                .isInstanceOf(IndexException.NonRetriable.class)
                .hasMessageContaining("unit length");
        assertThatThrownBy(() -> index.upsert(List.of(chunk("c1", "d1", "x", new float[] {Float.NaN, 0, 0, 0}))))
                .isInstanceOf(IndexException.NonRetriable.class)
                .hasMessageContaining("non-finite");
    }

    @Test
    void cosineAndEuclideanAcceptUnnormalisedVectors() {
        index.close();
        for (VectorSimilarity similarity : List.of(VectorSimilarity.COSINE, VectorSimilarity.EUCLIDEAN)) {
            try (LuceneHybridIndex other = builder(dir.resolve(similarity.name()))
                    .similarity(similarity)
                    .build()) {
                other.upsert(List.of(
                        chunk("near", "d1", "x", new float[] {3, 0.1f, 0, 0}),
                        chunk("far", "d1", "x", new float[] {0, 0, 0, 5})));
                List<SearchHit> hits =
                        other.search(SearchRequest.of(null, new float[] {2, 0, 0, 0}, 5, SearchMode.VECTOR));
                assertThat(ids(hits)).as("%s", similarity).containsExactly("near", "far");
                assertThat(hits).allSatisfy(h -> assertThat(h.score()).isBetween(0.0, 1.0));
            }
        }
        index = newIndex(dir);
    }

    @Test
    void keywordSearchStemsAndIgnoresStopWords() {
        index.upsert(List.of(
                chunk("c1", "d1", "The dog runs through the fields", QUERY),
                chunk("c2", "d1", "Cats sleeping", unit(0, 1, 0, 0))));

        assertThat(ids(index.search(SearchRequest.of("running dogs", null, 5, SearchMode.KEYWORD))))
                .containsExactly("c1");
        assertThat(ids(index.search(SearchRequest.of("sleep", null, 5, SearchMode.KEYWORD))))
                .containsExactly("c2");
        assertThat(index.search(SearchRequest.of("the and of", null, 5, SearchMode.KEYWORD)))
                .isEmpty();
        // Only stop words: hybrid still answers from the vector side.
        assertThat(ids(index.search(SearchRequest.of("the", QUERY, 5, SearchMode.HYBRID)))
                        .get(0))
                .isEqualTo("c1");
    }

    @Test
    void customAnalyzerIsUsed() {
        index.close();
        try (StandardAnalyzer analyzer = new StandardAnalyzer();
                LuceneHybridIndex other =
                        builder(dir.resolve("std")).analyzer(analyzer).build()) {
            other.upsert(List.of(chunk("c1", "d1", "The dog runs", QUERY)));
            // No stemming, no stop words.
            assertThat(other.search(SearchRequest.of("running", null, 5, SearchMode.KEYWORD)))
                    .isEmpty();
            assertThat(ids(other.search(SearchRequest.of("the", null, 5, SearchMode.KEYWORD))))
                    .containsExactly("c1");
        }
        index = newIndex(dir);
    }

    @Test
    void rejectsMetadataValuesTooLongToIndexBeforeWritingAnything() {
        String huge = "x".repeat(40_000);
        assertThatThrownBy(() -> index.upsert(List.of(
                        chunk("ok", "d1", "fine", QUERY),
                        new IndexedChunk("c1", "d1", "f", "text/plain", "t", QUERY, null, Map.of("k", huge)))))
                .isInstanceOf(IndexException.NonRetriable.class)
                .hasMessageContaining("metadata value of k")
                .hasMessageContaining("40000 bytes");
        assertThat(index.count()).isZero();
    }

    @Test
    void metadataKeysMayBeArbitraryStrings() {
        Map<String, String> metadata = Map.of("a b:c/é", "x y", "meta.nested", "1", "", "empty-key");
        index.upsert(List.of(
                new IndexedChunk("c1", "d1", "f", "text/plain", "hello", QUERY, null, metadata),
                chunk("c2", "d2", "hello", QUERY)));

        for (Map.Entry<String, String> e : metadata.entrySet()) {
            List<SearchHit> hits = index.search(request(
                    "hello",
                    QUERY,
                    5,
                    SearchMode.HYBRID,
                    new SearchFilter(null, null, Map.of(e.getKey(), e.getValue()))));
            assertThat(ids(hits)).as("key '%s'", e.getKey()).containsExactly("c1");
            assertThat(hits.get(0).metadata()).isEqualTo(metadata);
        }
    }

    @Test
    void int8QuantizedIndexSearches() {
        index.close();
        int dims = 64;
        Random random = new Random(7);
        List<IndexedChunk> chunks = new ArrayList<>();
        float[][] vectors = new float[500][];
        for (int i = 0; i < vectors.length; i++) {
            float[] v = new float[dims];
            for (int d = 0; d < dims; d++) {
                v[d] = (float) random.nextGaussian();
            }
            vectors[i] = unit(v);
            chunks.add(chunk("c" + i, "d" + (i % 10), "word" + i + " common", vectors[i]));
        }
        try (LuceneHybridIndex int8 = LuceneHybridIndex.builder()
                .path(dir.resolve("int8"))
                .dimensions(dims)
                .quantization(VectorQuantization.INT8)
                .build()) {
            assertThat(int8.quantization()).isEqualTo(VectorQuantization.INT8);
            int8.upsert(chunks);
            int8.commit();

            List<SearchHit> hits = int8.search(SearchRequest.of(null, vectors[42], 5, SearchMode.VECTOR));
            assertThat(hits).hasSize(5);
            assertThat(hits.get(0).chunkId()).isEqualTo("c42");
            assertThat(hits.get(0).score()).isGreaterThan(0.95);
            assertThat(hits).allSatisfy(h -> assertThat(h.score()).isBetween(0.0, 1.0));

            List<SearchHit> hybrid = int8.search(new SearchRequest(
                    "word42", vectors[42], 5, SearchMode.HYBRID, Fusion.RRF, 0.5, new SearchFilter("d2", null, null)));
            assertThat(hybrid.get(0).chunkId()).isEqualTo("c42");
            assertThat(hybrid).allSatisfy(h -> assertThat(h.documentId()).isEqualTo("d2"));

            int8.forceMerge(1);
            assertThat(ids(int8.search(SearchRequest.of(null, vectors[42], 1, SearchMode.VECTOR))))
                    .containsExactly("c42");
        }
        index = newIndex(dir);
    }

    @Test
    void supportsVectorsBeyondLuceneDefaultLimitOf1024Dimensions() {
        index.close();
        int dims = LuceneHybridIndex.MAX_DIMENSIONS;
        Path big = dir.resolve("big");
        float[] a = new float[dims];
        float[] b = new float[dims];
        a[0] = 1;
        b[dims - 1] = 1;
        for (VectorQuantization quantization : VectorQuantization.values()) {
            Path path = big.resolve(quantization.name());
            try (LuceneHybridIndex wide = LuceneHybridIndex.builder()
                    .path(path)
                    .dimensions(dims)
                    .quantization(quantization)
                    .build()) {
                wide.upsert(List.of(chunk("a", "d", "x", a), chunk("b", "d", "y", b)));
            }
            try (LuceneHybridIndex reopened =
                    LuceneHybridIndex.builder().path(path).dimensions(dims).build()) {
                assertThat(ids(reopened.search(SearchRequest.of(null, b, 2, SearchMode.VECTOR))))
                        .as("%s", quantization)
                        .containsExactly("b", "a");
            }
        }
        index = newIndex(dir);
    }

    @Test
    void hybridCandidatesLimitWhatEachRetrieverContributes() {
        index.close();
        try (LuceneHybridIndex narrow =
                builder(dir.resolve("narrow")).hybridCandidates(1).efSearch(1).build()) {
            // "z-kw" is indexed first, so Lucene's doc order disagrees with chunkId order.
            narrow.upsert(List.of(
                    chunk("z-kw", "d", "apple", unit(0, 0, 0, 1)),
                    chunk("a-vec", "d", "pear", QUERY),
                    chunk("neither", "d", "plum", unit(0, 1, 0, 0))));
            // k=1: each list contributes its single best, both score 1/61: the tie goes to the lower chunkId,
            // and "neither" cannot appear.
            assertThat(ids(narrow.search(SearchRequest.of("apple", QUERY, 1, SearchMode.HYBRID))))
                    .containsExactly("a-vec");
            // k raises the candidate count: vector ranks a-vec, neither, z-kw (tie at 0.5 by chunkId), so
            // z-kw = 1/61 + 1/63 leads.
            assertThat(ids(narrow.search(SearchRequest.of("apple", QUERY, 3, SearchMode.HYBRID))))
                    .containsExactly("z-kw", "a-vec", "neither");
        }
        index = newIndex(dir);
    }

    @Test
    void indexFilesLiveInTheConfiguredDirectory() throws Exception {
        index.upsert(List.of(chunk("c1", "d1", "x", QUERY)));
        index.commit();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("segments_"));
        }
    }
}
