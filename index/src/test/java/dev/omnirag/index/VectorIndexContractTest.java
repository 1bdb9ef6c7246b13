package dev.omnirag.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.omnirag.index.bench.ClusteredVectors;
import dev.omnirag.index.bench.ExactSearch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@link VectorIndex} contract, run against every implementation by subclassing. Vectors are 4-d unit
 * vectors so expected rankings can be worked out by hand.
 */
public abstract class VectorIndexContractTest {

    static final int DIMS = 4;
    static final float[] QUERY = unit(1, 0, 0, 0);

    @TempDir
    Path dir;

    VectorIndex index;

    /**
     * A new, empty index of the given dimensions with default settings (DOT_PRODUCT similarity); file-based
     * implementations store it under {@code dir}, others must make it independent of every other index.
     */
    protected abstract VectorIndex newIndex(Path dir, int dimensions, int nativeDimensions);

    /** A new, empty index without a native vector field. */
    protected final VectorIndex newIndex(Path dir, int dimensions) {
        return newIndex(dir, dimensions, 0);
    }

    /** A new, empty {@link #DIMS}-dimensional index. */
    protected final VectorIndex newIndex(Path dir) {
        return newIndex(dir, DIMS);
    }

    @BeforeEach
    void open() {
        index = newIndex(dir);
    }

    @AfterEach
    void closeIndex() {
        index.close();
    }

    static float[] unit(float... v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / Math.sqrt(norm));
        }
        return out;
    }

    static IndexedChunk chunk(String chunkId, String documentId, String text, float[] vector) {
        return new IndexedChunk(chunkId, documentId, documentId + ".txt", "text/plain", text, vector, null, Map.of());
    }

    static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::chunkId).toList();
    }

    static SearchRequest request(String text, float[] vector, int k, SearchMode mode, SearchFilter filter) {
        return new SearchRequest(text, vector, k, mode, Fusion.RRF, 0.5, filter);
    }

    /**
     * Four chunks whose rankings are known: for text "apple" and vector {@link #QUERY} keyword ranks kwTop,
     * both; vector ranks vecTop, both, other, kwTop.
     */
    void indexFruit() {
        index.upsert(List.of(
                chunk("kwTop", "d1", "apple apple apple", unit(-0.6f, 0, 0.8f, 0)),
                chunk("both", "d1", "apple fruit", unit(0.8f, 0.6f, 0, 0)),
                chunk("vecTop", "d2", "cherry", unit(1, 0, 0, 0)),
                chunk("other", "d2", "banana", unit(0, 1, 0, 0))));
    }

    @Test
    void vectorFeedbackMovesTheQueryTowardsTheTopHitOnEveryBackend() {
        // alpha is the query's best match; gamma shares alpha's second direction, beta does not.
        Map<String, float[]> vectors = Map.of(
                "alpha", unit(0.8f, 0.6f, 0, 0),
                "beta", unit(0.6f, 0, 0.8f, 0),
                "gamma", unit(0.5f, 0.8660254f, 0, 0));
        index.upsert(vectors.entrySet().stream()
                .map(e -> chunk(e.getKey(), "d-" + e.getKey(), e.getKey(), e.getValue()))
                .toList());
        SearchRequest vector = request(null, QUERY, 3, SearchMode.VECTOR, SearchFilter.NONE);
        assertThat(ids(index.search(vector))).containsExactly("alpha", "beta", "gamma");

        List<SearchHit> moved = new VectorFeedback(1, 0.5)
                .search(index, vector, texts -> texts.stream().map(vectors::get).toList());

        assertThat(ids(moved)).containsExactly("alpha", "gamma", "beta");
    }

    @Test
    void emptyIndexReturnsNoHits() {
        for (SearchMode mode : SearchMode.values()) {
            assertThat(index.search(SearchRequest.of("apple", QUERY, 10, mode))).isEmpty();
        }
        assertThat(index.count()).isZero();
    }

    @Test
    void changesAreVisibleWithoutCommit() {
        index.upsert(List.of(chunk("c1", "d1", "hello world", QUERY)));
        assertThat(index.count()).isEqualTo(1);
        assertThat(ids(index.search(SearchRequest.of("hello", null, 5, SearchMode.KEYWORD))))
                .containsExactly("c1");
        assertThat(ids(index.search(SearchRequest.of(null, QUERY, 5, SearchMode.VECTOR))))
                .containsExactly("c1");

        index.deleteDocument("d1");
        assertThat(index.count()).isZero();
        assertThat(index.search(SearchRequest.of("hello", null, 5, SearchMode.KEYWORD)))
                .isEmpty();
    }

    @Test
    void deferredChunksAreSearchableOnceCommittedAndCountedAtOnce() {
        index.upsert(List.of(chunk("seen", "d0", "visible at once", unit(0, 1, 0, 0))));
        index.upsertDeferred(List.of(chunk("c1", "d1", "hello world", QUERY), chunk("c2", "d1", "hello again", QUERY)));

        // Counts and stored texts see deferred chunks before the commit; search need not.
        assertThat(index.countDocument("d1")).isEqualTo(2);
        assertThat(index.count()).isEqualTo(3);
        assertThat(index.texts(List.of("c1"))).containsEntry("c1", "hello world");

        index.commit();
        assertThat(ids(index.search(SearchRequest.of("hello", null, 5, SearchMode.KEYWORD))))
                .containsExactlyInAnyOrder("c1", "c2");
        assertThat(ids(index.search(SearchRequest.of(null, QUERY, 5, SearchMode.VECTOR))))
                .startsWith("c1", "c2");
    }

    @Test
    void deletingADocumentRemovesAndCountsItsDeferredChunks() {
        index.upsertDeferred(List.of(chunk("c1", "d1", "hello world", QUERY), chunk("c2", "d1", "hello again", QUERY)));

        assertThat(index.deleteDocument("d1")).isEqualTo(2);
        index.commit();

        assertThat(index.count()).isZero();
        assertThat(index.search(SearchRequest.of("hello", null, 5, SearchMode.KEYWORD)))
                .isEmpty();
    }

    @Test
    void upsertReplacesChunkWithSameId() {
        index.upsert(List.of(chunk("c1", "d1", "old text", QUERY)));
        index.upsert(List.of(chunk("c1", "d1", "new text", unit(0, 1, 0, 0))));

        assertThat(index.count()).isEqualTo(1);
        assertThat(index.search(SearchRequest.of("old", null, 5, SearchMode.KEYWORD)))
                .isEmpty();
        List<SearchHit> hits = index.search(SearchRequest.of("new", null, 5, SearchMode.KEYWORD));
        assertThat(hits).singleElement().satisfies(h -> assertThat(h.text()).isEqualTo("new text"));
    }

    @Test
    void upsertWithDuplicateIdsInOneBatchKeepsTheLast() {
        index.upsert(List.of(chunk("c1", "d1", "first", QUERY), chunk("c1", "d1", "second", QUERY)));
        assertThat(index.count()).isEqualTo(1);
        assertThat(index.search(SearchRequest.of(null, QUERY, 5, SearchMode.VECTOR)))
                .singleElement()
                .satisfies(h -> assertThat(h.text()).isEqualTo("second"));
    }

    @Test
    void deleteDocumentRemovesAllItsChunksAndReturnsHowMany() {
        indexFruit();
        assertThat(index.countDocument("d1")).isEqualTo(2);
        assertThat(index.countDocument("d2")).isEqualTo(2);

        assertThat(index.deleteDocument("d1")).isEqualTo(2);
        assertThat(index.deleteDocument("d1")).isZero();
        assertThat(index.deleteDocument("missing")).isZero();

        assertThat(index.countDocument("d1")).isZero();
        assertThat(index.count()).isEqualTo(2);
        assertThat(ids(index.search(SearchRequest.of(null, QUERY, 10, SearchMode.VECTOR))))
                .containsExactly("vecTop", "other");
    }

    @Test
    void documentChunkCountsListEveryDocumentWithItsVisibleChunks() {
        assertThat(index.documentChunkCounts()).isEmpty();
        indexFruit();
        index.upsert(List.of(
                chunk("d3-0", "d3", "third", unit(0, 0, 1, 0)),
                chunk("d3-1", "d3", "third again", unit(0, 0, 0, 1)),
                chunk("d3-2", "d3", "third once more", unit(0, 1, 1, 0))));
        // Replacing a chunk by id does not count it twice.
        index.upsert(List.of(chunk("d3-0", "d3", "third, replaced", unit(0, 0, 1, 0))));

        assertThat(index.documentChunkCounts())
                .containsExactlyInAnyOrderEntriesOf(Map.of("d1", 2L, "d2", 2L, "d3", 3L));

        index.deleteDocument("d1");
        index.commit();
        Map<String, Long> counts = index.documentChunkCounts();
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("d2", 2L, "d3", 3L));
        assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(index.count());
        counts.forEach((doc, n) -> assertThat(index.countDocument(doc)).as(doc).isEqualTo(n));
    }

    @Test
    void hitsCarryStoredFields() {
        index.upsert(List.of(
                new IndexedChunk(
                        "c1",
                        "d1",
                        "report.pdf",
                        "application/pdf",
                        "quarterly revenue",
                        QUERY,
                        new Locator(3, 10, 42),
                        Map.of("lang", "en", "team", "finance")),
                new IndexedChunk(
                        "c2",
                        "d2",
                        "notes.txt",
                        "text/plain",
                        "revenue notes",
                        unit(0, 1, 0, 0),
                        new Locator(null, 5, null),
                        null)));

        List<SearchHit> hits = index.search(SearchRequest.of("revenue", QUERY, 10, SearchMode.HYBRID));

        assertThat(hits).extracting(SearchHit::chunkId).containsExactly("c1", "c2");
        SearchHit first = hits.get(0);
        assertThat(first.documentId()).isEqualTo("d1");
        assertThat(first.filename()).isEqualTo("report.pdf");
        assertThat(first.mediaType()).isEqualTo("application/pdf");
        assertThat(first.text()).isEqualTo("quarterly revenue");
        assertThat(first.locator()).isEqualTo(new Locator(3, 10, 42));
        assertThat(first.metadata()).isEqualTo(Map.of("lang", "en", "team", "finance"));
        SearchHit second = hits.get(1);
        assertThat(second.locator()).isEqualTo(new Locator(null, 5, null));
        assertThat(second.metadata()).isEmpty();
    }

    /**
     * Chinese and Japanese have no spaces: a word is found where its characters stand together, not in every text
     * sharing one of them (数 of 数学, mathematics) nor nowhere (a whole run taken as one word); hits keep their text.
     */
    @Test
    void aChineseOrJapaneseWordIsFoundWhereItsCharactersStandTogether() {
        index.upsert(List.of(
                chunk("zh-db", "d1", "数据库系统的设计与实现。", unit(1, 0, 0, 0)),
                chunk("zh-math", "d2", "数学的历史很长。", unit(0, 1, 0, 0)),
                chunk("ja", "d3", "東京の天気は晴れです", unit(0, 0, 1, 0)),
                chunk("en", "d4", "The database design of the system", unit(0, 0, 0, 1))
                        .withKeywordText("The database design of the system 数据库")));

        assertThat(ids(index.search(SearchRequest.of("数据库", null, 10, SearchMode.KEYWORD))))
                .containsExactlyInAnyOrder("zh-db", "en");
        assertThat(ids(index.search(SearchRequest.of("历史", null, 10, SearchMode.KEYWORD))))
                .containsExactly("zh-math");
        assertThat(ids(index.search(SearchRequest.of("天気", null, 10, SearchMode.KEYWORD))))
                .containsExactly("ja");
        assertThat(ids(index.search(SearchRequest.of("database design", null, 10, SearchMode.KEYWORD))))
                .containsExactly("en");
        assertThat(index.search(SearchRequest.of("历史", null, 10, SearchMode.KEYWORD))
                        .getFirst()
                        .text())
                .isEqualTo("数学的历史很长。");
    }

    @Test
    void keywordSearchReadsTheKeywordTextWhileHitsReturnTheChunksOwnText() {
        index.upsert(List.of(
                new IndexedChunk(
                                "broken",
                                "d1",
                                "paper.pdf",
                                "application/pdf",
                                "the Spi-\nderMonkey engine traces loops",
                                unit(1, 0, 0, 0),
                                new Locator(1, 0, 37),
                                null)
                        .withKeywordText("the SpiderMonkey engine traces loops"),
                new IndexedChunk(
                        "plain",
                        "d2",
                        "notes.txt",
                        "text/plain",
                        "an engine without a name",
                        unit(0, 1, 0, 0),
                        null,
                        null)));

        List<SearchHit> hits = index.search(SearchRequest.of("SpiderMonkey", null, 10, SearchMode.KEYWORD));

        assertThat(hits).extracting(SearchHit::chunkId).containsExactly("broken");
        assertThat(hits.getFirst().text()).isEqualTo("the Spi-\nderMonkey engine traces loops");
        assertThat(index.search(SearchRequest.of("engine", null, 10, SearchMode.KEYWORD)))
                .extracting(SearchHit::chunkId)
                .containsExactlyInAnyOrder("broken", "plain");
    }

    @Test
    void locatorBoxesTimesAndSheetsRoundTrip() {
        Locator boxed = new Locator(2, 0, 11, new BoundingBox(0.125, 0.25, 0.5, 0.0625), null, null);
        Locator timed = new Locator(null, 4, 30, null, 5_300L, 7_670L);
        Locator sheet = new Locator(2, 0, 40).withSheet("Q3 Revenue \u2014 EMEA");
        index.upsert(List.of(
                new IndexedChunk("box", "d1", "scan.png", "image/png", "boxed words", QUERY, boxed, null),
                new IndexedChunk("time", "d2", "talk.wav", "audio/wav", "timed words", unit(0, 1, 0, 0), timed, null),
                new IndexedChunk(
                        "sheet",
                        "d3",
                        "budget.xlsx",
                        "application/vnd.ms-excel",
                        "sheet words",
                        unit(0, 0, 1, 0),
                        sheet,
                        null)));

        List<SearchHit> hits = index.search(SearchRequest.of("words", QUERY, 10, SearchMode.HYBRID));

        Map<String, Locator> byChunk = new java.util.HashMap<>();
        hits.forEach(h -> byChunk.put(h.chunkId(), h.locator()));
        assertThat(byChunk).containsOnlyKeys("box", "time", "sheet");
        assertThat(byChunk.get("box")).isEqualTo(boxed);
        assertThat(byChunk.get("time")).isEqualTo(timed);
        assertThat(byChunk.get("sheet")).isEqualTo(sheet);
        assertThat(byChunk.get("sheet").sheet()).isEqualTo("Q3 Revenue \u2014 EMEA");
    }

    /**
     * Three chunks with text vectors and, for two of them, native vectors (in a 3-d "image" space): the native
     * list must rank by the native vectors alone and skip the chunk without one.
     */
    private VectorIndex indexWithNativeVectors() {
        index.close();
        index = newIndex(dir.resolve("native"), DIMS, 3);
        index.upsert(List.of(
                new IndexedChunk(
                        "red",
                        "d1",
                        "red.png",
                        "image/png",
                        "a red square",
                        unit(0, 1, 0, 0),
                        null,
                        null,
                        unit(1, 0, 0)),
                new IndexedChunk(
                        "blue",
                        "d2",
                        "blue.png",
                        "image/png",
                        "a blue square",
                        unit(0, 0, 1, 0),
                        null,
                        null,
                        unit(0, 0, 1)),
                new IndexedChunk(
                        "text", "d3", "notes.txt", "text/plain", "notes about squares", QUERY, null, null, null)));
        return index;
    }

    @Test
    void storedVectorsAreTheIndexedOnesByChunkId() {
        index.upsert(
                List.of(chunk("a", "d1", "alpha", unit(1, 0, 0, 0)), chunk("b", "d1", "beta", unit(0, 0.6f, 0.8f, 0))));

        Map<String, float[]> vectors = index.vectors(List.of("b", "missing", "a"), VectorIndex.VectorField.TEXT);

        assertThat(vectors.keySet()).containsExactlyInAnyOrder("a", "b");
        assertThat(vectors.get("b"))
                .containsExactly(new float[] {0, 0.6f, 0.8f, 0}, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(index.vectors(List.of("a"), VectorIndex.VectorField.NATIVE))
                .as("no native field")
                .isEmpty();
        assertThat(index.vectors(List.of("a"), VectorIndex.VectorField.COMPANION))
                .as("no companion field")
                .isEmpty();
        assertThat(index.vectors(List.of(), VectorIndex.VectorField.TEXT)).isEmpty();
        VectorIndex idx = indexWithNativeVectors();
        assertThat(idx.vectors(List.of("red", "text"), VectorIndex.VectorField.NATIVE)
                        .keySet())
                .as("only chunks with a native vector")
                .containsExactly("red");
    }

    @Test
    void storedTextsAreTheIndexedOnesInTheOrderAsked() {
        index.upsert(List.of(
                chunk("a", "d1", "alpha text", unit(1, 0, 0, 0)), chunk("b", "d1", "beta text", unit(0, 1, 0, 0))));

        assertThat(index.texts(List.of("b", "missing", "a")))
                .as("known chunks only, in the order asked")
                .containsExactly(Map.entry("b", "beta text"), Map.entry("a", "alpha text"));
        assertThat(index.texts(List.of())).isEmpty();
    }

    @Test
    void nativeVectorsAreSearchedAsTheirOwnList() {
        VectorIndex idx = indexWithNativeVectors();
        assertThat(idx.nativeDimensions()).isEqualTo(3);

        List<SearchHit> nativeOnly = idx.search(
                new SearchRequest(null, null, 10, SearchMode.VECTOR, Fusion.RRF, 0.5, null, unit(0.9f, 0, 0.1f)));

        assertThat(ids(nativeOnly)).containsExactly("red", "blue");
        assertThat(nativeOnly.get(0).score()).isBetween(0.9, 1.0);
    }

    @Test
    void hybridFusesKeywordTextVectorAndNativeLists() {
        VectorIndex idx = indexWithNativeVectors();
        // keyword "blue": blue; text vector QUERY: text, then blue and red tied at 0.5 (blue first by id);
        // native (0,0,1): blue, red. blue is in all three lists and must lead.
        List<SearchHit> hits = idx.search(
                new SearchRequest("blue", QUERY, 10, SearchMode.HYBRID, Fusion.RRF, 0.5, null, unit(0, 0, 1)));

        assertThat(hits.get(0).chunkId()).isEqualTo("blue");
        assertThat(ids(hits)).containsExactlyInAnyOrder("blue", "red", "text");
        // blue: keyword rank 1, text-vector rank 2, native rank 1.
        assertThat(hits.get(0).score()).isCloseTo(1.0 / 61 + 1.0 / 62 + 1.0 / 61, offset(1e-9));

        List<SearchHit> withoutNative = idx.search(SearchRequest.of("notes", QUERY, 10, SearchMode.HYBRID));
        assertThat(withoutNative.get(0).chunkId()).isEqualTo("text");
    }

    @Test
    void vectorModeFusesTextAndNativeVectorLists() {
        VectorIndex idx = indexWithNativeVectors();
        List<SearchHit> hits = idx.search(new SearchRequest(
                null, unit(0, 1, 0, 0), 10, SearchMode.VECTOR, Fusion.WEIGHTED, 0.5, null, unit(1, 0, 0)));

        // red is the best of both vector lists: 0.5 * 1 + 0.5 * 1.
        assertThat(hits.get(0).chunkId()).isEqualTo("red");
        assertThat(hits.get(0).score()).isCloseTo(1.0, offset(1e-9));
    }

    @Test
    void nativeVectorsNeedANativeField() {
        assertThat(index.nativeDimensions()).isZero();
        assertThatThrownBy(() -> index.upsert(List.of(
                        new IndexedChunk("c", "d", "f.png", "image/png", "x", QUERY, null, null, unit(1, 0, 0)))))
                .isInstanceOf(IndexException.NonRetriable.class)
                .hasMessageContaining("native vector of chunk c")
                .hasMessageContaining("nativeDimensions=0");
        assertThatThrownBy(() -> index.search(
                        new SearchRequest(null, null, 5, SearchMode.VECTOR, Fusion.RRF, 0.5, null, unit(1, 0, 0))))
                .isInstanceOf(IndexException.NonRetriable.class)
                .hasMessageContaining("native query vector");
        assertThat(index.count()).isZero();
    }

    @Test
    void rejectsNativeVectorOfWrongDimension() {
        VectorIndex idx = indexWithNativeVectors();
        assertThatThrownBy(() -> idx.upsert(List.of(
                        new IndexedChunk("c", "d", "f.png", "image/png", "x", QUERY, null, null, unit(1, 0, 0, 0)))))
                .isInstanceOf(IndexException.NonRetriable.class)
                .hasMessageContaining("4 dimensions")
                .hasMessageContaining("has 3");
    }

    @Test
    void vectorSearchReturnsNearestFirstWithScoresInUnitRange() {
        indexFruit();
        List<SearchHit> hits = index.search(SearchRequest.of(null, QUERY, 10, SearchMode.VECTOR));

        assertThat(ids(hits)).containsExactly("vecTop", "both", "other", "kwTop");
        assertThat(hits.get(0).score()).isCloseTo(1.0, offset(1e-6));
        assertThat(hits).allSatisfy(h -> assertThat(h.score()).isBetween(0.0, 1.0));
    }

    @Test
    void keywordSearchRanksByBm25() {
        indexFruit();
        List<SearchHit> hits = index.search(SearchRequest.of("apple", null, 10, SearchMode.KEYWORD));

        assertThat(ids(hits)).containsExactly("kwTop", "both");
        assertThat(hits.get(0).score()).isGreaterThan(hits.get(1).score());
        assertThat(hits).allSatisfy(h -> assertThat(h.score()).isPositive());
    }

    @Test
    void contextWordsFindWhatAFollowUpRefersToWithLessWeightThanTheQuery() {
        index.upsert(List.of(
                chunk("speech", "d1", "Kennedy spoke of the moon and of going there", unit(1, 0, 0, 0)),
                chunk("budget", "d2", "the space budget of the agency", unit(0, 1, 0, 0)),
                chunk("moonOnly", "d3", "the moon orbits the earth", unit(0, 0, 1, 0))));
        SearchRequest alone = new SearchRequest(
                "what else did he talk about", null, 10, SearchMode.KEYWORD, Fusion.RRF, 0.5, SearchFilter.NONE);
        SearchRequest followUp = new SearchRequest(
                "what else did he talk about",
                null,
                10,
                SearchMode.KEYWORD,
                Fusion.RRF,
                0.5,
                SearchFilter.NONE,
                null,
                QueryExpansion.NONE,
                List.of(new KeywordContext("What did Kennedy say about the moon?", 0.5)));

        assertThat(index.search(alone)).isEmpty();
        assertThat(ids(index.search(followUp))).containsExactly("speech", "moonOnly");

        // The query's own word outweighs a context word.
        SearchRequest queryFirst = new SearchRequest(
                "budget",
                null,
                10,
                SearchMode.KEYWORD,
                Fusion.RRF,
                0.5,
                SearchFilter.NONE,
                null,
                QueryExpansion.NONE,
                List.of(new KeywordContext("moon", 0.5)));
        assertThat(ids(index.search(queryFirst)).get(0)).isEqualTo("budget");
    }

    @Test
    void keywordContextIsValidated() {
        assertThatThrownBy(() -> new KeywordContext("moon", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("weight must be in (0, 1]; weight=0.0");
        assertThatThrownBy(() -> new KeywordContext(" ", 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("text must not be blank");
    }

    @Test
    void hybridRanksDocumentFoundByBothRetrieversFirst() {
        indexFruit();
        List<SearchHit> hits = index.search(SearchRequest.of("apple", QUERY, 10, SearchMode.HYBRID));

        assertThat(ids(hits)).containsExactly("both", "kwTop", "vecTop", "other");
        // RRF with the default rrfK=60: both is rank 2 in each list.
        assertThat(hits.get(0).score()).isCloseTo(2.0 / 62, offset(1e-9));
        assertThat(hits).allSatisfy(h -> assertThat(h.score()).isBetween(0.0, 2.0 / 61));
    }

    @Test
    void weightedFusionFollowsTheVectorWeight() {
        indexFruit();
        List<SearchHit> vectorOnly =
                index.search(new SearchRequest("apple", QUERY, 10, SearchMode.HYBRID, Fusion.WEIGHTED, 1.0, null));
        List<SearchHit> keywordOnly =
                index.search(new SearchRequest("apple", QUERY, 10, SearchMode.HYBRID, Fusion.WEIGHTED, 0.0, null));
        List<SearchHit> even =
                index.search(new SearchRequest("apple", QUERY, 10, SearchMode.HYBRID, Fusion.WEIGHTED, 0.5, null));

        assertThat(ids(vectorOnly)).containsExactly("vecTop", "both", "other", "kwTop");
        assertThat(vectorOnly.get(0).score()).isEqualTo(1.0);
        assertThat(ids(keywordOnly).get(0)).isEqualTo("kwTop");
        assertThat(keywordOnly.get(0).score()).isEqualTo(1.0);
        // kwTop: 0.5 * 1 (best keyword) + 0.5 * 0 (worst vector); vecTop: 0.5 * 0 + 0.5 * 1; tie by chunkId.
        assertThat(ids(even).subList(0, 2)).containsExactly("kwTop", "vecTop");
        assertThat(even.get(0).score()).isEqualTo(0.5);
        assertThat(even).allSatisfy(h -> assertThat(h.score()).isBetween(0.0, 1.0));
    }

    @Test
    void weightedFusionCountsASingleHitListAsItsBest() {
        indexFruit();
        // "cherry" matches only vecTop, which is also the best vector hit: 0.5 * 1 + 0.5 * 1.
        List<SearchHit> hits =
                index.search(new SearchRequest("cherry", QUERY, 10, SearchMode.HYBRID, Fusion.WEIGHTED, 0.5, null));

        assertThat(hits.get(0).chunkId()).isEqualTo("vecTop");
        assertThat(hits.get(0).score()).isEqualTo(1.0);
    }

    @Test
    void searchReturnsAtMostKHits() {
        indexFruit();
        for (SearchMode mode : SearchMode.values()) {
            assertThat(index.search(SearchRequest.of("apple", QUERY, 1, mode))).hasSize(1);
        }
    }

    @Test
    void tiesAreBrokenByChunkIdAscending() {
        // Inserted out of order so Lucene's internal doc order differs from chunkId order.
        index.upsert(List.of(
                chunk("c", "d1", "same words", QUERY),
                chunk("a", "d1", "same words", QUERY),
                chunk("b", "d1", "same words", QUERY)));

        for (SearchMode mode : SearchMode.values()) {
            assertThat(ids(index.search(SearchRequest.of("words", QUERY, 10, mode))))
                    .as("mode %s", mode)
                    .containsExactly("a", "b", "c");
            assertThat(ids(index.search(SearchRequest.of("words", QUERY, 2, mode))))
                    .as("mode %s, k=2", mode)
                    .containsExactly("a", "b");
        }
    }

    @ParameterizedTest
    @EnumSource(SearchMode.class)
    void filtersRestrictEveryMode(SearchMode mode) {
        index.upsert(List.of(
                new IndexedChunk(
                        "p1", "pdf-doc", "a.pdf", "application/pdf", "apple report", QUERY, null, Map.of("lang", "en")),
                new IndexedChunk(
                        "p2",
                        "pdf-doc",
                        "a.pdf",
                        "application/pdf",
                        "apple summary",
                        unit(1, 1, 0, 0),
                        null,
                        Map.of("lang", "en")),
                new IndexedChunk(
                        "t1", "txt-doc", "b.txt", "text/plain", "apple notes", QUERY, null, Map.of("lang", "de")),
                new IndexedChunk(
                        "t2",
                        "other-doc",
                        "c.txt",
                        "text/plain",
                        "apple list",
                        unit(0, 0, 1, 0),
                        null,
                        Map.of("lang", "en", "team", "ops"))));

        assertThat(ids(index.search(request("apple", QUERY, 10, mode, new SearchFilter("pdf-doc", null, null)))))
                .containsExactlyInAnyOrder("p1", "p2");
        assertThat(ids(index.search(request("apple", QUERY, 10, mode, new SearchFilter(null, "text/plain", null)))))
                .containsExactlyInAnyOrder("t1", "t2");
        assertThat(ids(index.search(
                        request("apple", QUERY, 10, mode, new SearchFilter(null, null, Map.of("lang", "en"))))))
                .containsExactlyInAnyOrder("p1", "p2", "t2");
        assertThat(ids(index.search(request(
                        "apple",
                        QUERY,
                        10,
                        mode,
                        new SearchFilter(null, "text/plain", Map.of("lang", "en", "team", "ops"))))))
                .containsExactly("t2");
        assertThat(index.search(request("apple", QUERY, 10, mode, new SearchFilter("pdf-doc", "text/plain", null))))
                .isEmpty();
        assertThat(ids(index.search(request("apple", QUERY, 10, mode, SearchFilter.NONE))))
                .hasSize(4);
    }

    @Test
    void filteredVectorSearchStillReturnsKMatchingHits() {
        List<IndexedChunk> chunks = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            boolean rare = i % 60 == 0; // 5 rare chunks, all far from the query
            float[] vector = rare ? unit(0, 0, 1, i) : unit(1, 0.01f * (i % 50), 0, 0);
            chunks.add(new IndexedChunk(
                    "c" + i,
                    "d" + i,
                    "f",
                    "text/plain",
                    "text " + i,
                    vector,
                    null,
                    rare ? Map.of("tag", "rare") : Map.of("tag", "common")));
        }
        index.upsert(chunks);

        List<SearchHit> hits = index.search(
                request(null, QUERY, 5, SearchMode.VECTOR, new SearchFilter(null, null, Map.of("tag", "rare"))));

        assertThat(ids(hits)).containsExactlyInAnyOrder("c0", "c60", "c120", "c180", "c240");
    }

    @Test
    void keywordSearchNeverThrowsOnQuerySyntax() {
        index.upsert(List.of(chunk("c1", "d1", "title of the annual report", QUERY)));
        List<String> nasty = List.of(
                "a AND (b",
                "title:\"x",
                "\"unterminated",
                "report)",
                "*",
                "?",
                "title:*",
                "~report",
                "report~2",
                "[a TO",
                "{}",
                "+-!",
                "&& ||",
                "\\",
                "/regex",
                "report^",
                "NOT",
                "OR OR AND",
                ":",
                "   x   ",
                "\u0000",
                "emoji \uD83D\uDE00 report",
                "report".repeat(2000),
                "report ".repeat(3000));
        for (String text : nasty) {
            for (SearchMode mode : List.of(SearchMode.KEYWORD, SearchMode.HYBRID)) {
                assertThat(index.search(SearchRequest.of(text, QUERY, 5, mode)))
                        .as("query %.40s in mode %s", text, mode)
                        .isNotNull();
            }
        }
        assertThat(ids(index.search(SearchRequest.of("title:\"report", null, 5, SearchMode.KEYWORD))))
                .containsExactly("c1");
    }

    @Test
    void rejectsVectorOfWrongDimension() {
        assertThatThrownBy(() -> index.upsert(List.of(chunk("c1", "d1", "x", unit(1, 0, 0)))))
                .isInstanceOf(IndexException.NonRetriable.class)
                .hasMessageContaining("3 dimensions")
                .hasMessageContaining("has " + DIMS);
        assertThatThrownBy(() -> index.search(SearchRequest.of(null, unit(1, 0, 0, 0, 0), 5, SearchMode.VECTOR)))
                .isInstanceOf(IndexException.NonRetriable.class)
                .hasMessageContaining("5 dimensions")
                .hasMessageContaining("has " + DIMS);
        assertThat(index.count()).isZero();
    }

    @Test
    void aBadChunkRejectsTheWholeBatch() {
        assertThatThrownBy(() ->
                        index.upsert(List.of(chunk("good", "d1", "x", QUERY), chunk("bad", "d1", "x", unit(1, 0, 0)))))
                .isInstanceOf(IndexException.NonRetriable.class)
                .hasMessageContaining("bad");
        assertThat(index.count()).isZero();
    }

    @Test
    void searchesRunConcurrentlyWithWrites() throws Exception {
        int writers = 2;
        int perWriter = 50;
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perWriter; i++) {
                        index.upsert(List.of(
                                chunk("w" + writer + "-" + i, "doc" + writer, "apple " + i, unit(1, i, writer, 0))));
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        for (int s = 0; s < 2; s++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < 100; i++) {
                        SearchMode mode = SearchMode.values()[i % 3];
                        List<SearchHit> hits = index.search(SearchRequest.of("apple", QUERY, 5, mode));
                        assertThat(hits.size()).isLessThanOrEqualTo(5);
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures).isEmpty();
        assertThat(index.count()).isEqualTo(writers * perWriter);
        assertThat(index.deleteDocument("doc0")).isEqualTo(perWriter);
    }

    /** Recall of VECTOR search against exact search on 5,000 seeded clustered 384-d vectors. */
    @Test
    void vectorRecallAtTenIsAtLeastPointNineFiveOnFiveThousandVectors() {
        String property = System.getProperty("tests.seed");
        long seed = property == null || property.isBlank() ? new Random().nextLong() : Long.parseLong(property.trim());
        System.out.println(getClass().getSimpleName() + " recall seed=" + seed);
        int n = 5000;
        int dims = 384;
        ClusteredVectors generator = ClusteredVectors.of(dims, 50, ClusteredVectors.DEFAULT_NOISE, new Random(seed));
        float[][] vectors = generator.next(n);
        float[][] queries = generator.next(50);
        try (VectorIndex big = newIndex(dir.resolve("recall"), dims)) {
            List<IndexedChunk> chunks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                chunks.add(new IndexedChunk("v" + i, "d" + (i % 100), null, null, "", vectors[i], null, null));
            }
            big.upsert(chunks);
            big.commit();
            double sum = 0;
            for (float[] q : queries) {
                int[] truth = ExactSearch.topK(vectors, q, 10);
                int[] found = big.search(SearchRequest.of(null, q, 10, SearchMode.VECTOR)).stream()
                        .mapToInt(h -> Integer.parseInt(h.chunkId().substring(1)))
                        .toArray();
                sum += ExactSearch.recall(truth, found);
            }
            double recall = sum / queries.length;
            System.out.printf("%s recall@10=%.4f (seed=%d)%n", getClass().getSimpleName(), recall, seed);
            assertThat(recall).as("seed=%d", seed).isGreaterThanOrEqualTo(0.95);
        }
    }
}
