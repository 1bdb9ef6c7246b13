package dev.omnirag.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnirag.index.bench.PgliteServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The contract against real PostgreSQL + pgvector (compiled to WebAssembly: pglite-socket, started here), plus
 * what is specific to pgvector: table reuse, dimension checks, halfvec storage, metadata JSON round trips.
 */
class PgVectorIndexTest extends VectorIndexContractTest {

    private static PgliteServer server;
    private static PGSimpleDataSource dataSource;
    private static final AtomicInteger TABLES = new AtomicInteger();

    @BeforeAll
    static void startServer() {
        server = PgliteServer.start(PgliteServer.defaultPackageDir(), null, 8);
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(server.jdbcUrl());
        dataSource.setUser("postgres");
        dataSource.setPassword("postgres");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected VectorIndex newIndex(Path dir, int dimensions, int nativeDimensions) {
        return PgVectorIndex.builder()
                .dataSource(dataSource)
                .table("contract_" + TABLES.incrementAndGet())
                .dimensions(dimensions)
                .nativeDimensions(nativeDimensions)
                .build();
    }

    @Test
    void reopeningATableKeepsItsChunks() {
        PgVectorIndex first = PgVectorIndex.builder()
                .dataSource(dataSource)
                .table("reopened")
                .dimensions(DIMS)
                .build();
        first.upsert(List.of(chunk("a", "d", "persisted chunk", unit(1, 0, 0, 0))));
        PgVectorIndex again = PgVectorIndex.builder()
                .dataSource(dataSource)
                .table("reopened")
                .dimensions(DIMS)
                .build();
        assertThat(again.count()).isEqualTo(1);
        assertThat(again.search(request("persisted", null, 5, SearchMode.KEYWORD, SearchFilter.NONE)))
                .hasSize(1);
    }

    @Test
    void aTableMadeBeforeKeywordTextKeepsItsChunksAndSearchesKeywordTextAfterReopening() throws Exception {
        String table = "before_keyword_text_" + TABLES.incrementAndGet();
        try (var c = dataSource.getConnection();
                var st = c.createStatement()) {
            // The schema as it was: tsvector generated from text alone, no keyword_text column.
            st.execute("CREATE EXTENSION IF NOT EXISTS vector");
            st.execute("CREATE TABLE " + table + " (chunk_id TEXT PRIMARY KEY, document_id TEXT NOT NULL, "
                    + "filename TEXT NOT NULL, media_type TEXT NOT NULL, text TEXT NOT NULL, embedding vector(" + DIMS
                    + ") NOT NULL, page INT, char_start INT, char_end INT, metadata JSONB NOT NULL DEFAULT '{}', "
                    + "tsv TSVECTOR GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text)) STORED)");
            st.execute("INSERT INTO " + table + " (chunk_id, document_id, filename, media_type, text, embedding) "
                    + "VALUES ('old', 'd0', 'old.txt', 'text/plain', 'an interpreter written long ago', '[1,0,0,0]')");
        }

        PgVectorIndex index = PgVectorIndex.builder()
                .dataSource(dataSource)
                .table(table)
                .dimensions(DIMS)
                .build();
        index.upsert(List.of(chunk("new", "d1", "the Spi-\nderMonkey engine", unit(0, 1, 0, 0))
                .withKeywordText("the SpiderMonkey engine")));

        assertThat(index.count()).isEqualTo(2);
        assertThat(index.search(request("interpreter", null, 5, SearchMode.KEYWORD, SearchFilter.NONE)))
                .extracting(SearchHit::chunkId)
                .containsExactly("old");
        assertThat(index.search(request("SpiderMonkey", null, 5, SearchMode.KEYWORD, SearchFilter.NONE)))
                .extracting(SearchHit::text)
                .containsExactly("the Spi-\nderMonkey engine");
    }

    @Test
    void companionVectorsAreRefusedWithTheBackendNamed() {
        PgVectorIndex idx = PgVectorIndex.builder()
                .dataSource(dataSource)
                .table("companion_" + TABLES.incrementAndGet())
                .dimensions(DIMS)
                .build();
        assertThat(idx.companionDimensions()).isZero();
        assertThatThrownBy(() -> idx.upsert(List.of(new IndexedChunk(
                        "c", "d", "f.txt", "text/plain", "x", unit(1, 0, 0, 0), null, null, null, unit(1, 0, 0)))))
                .isInstanceOf(IndexException.NonRetriable.class)
                .hasMessageContaining("companion vector of chunk c")
                .hasMessageContaining("Lucene backend");
        assertThatThrownBy(() -> idx.search(SearchRequest.of("x", unit(1, 0, 0, 0), 5, SearchMode.HYBRID)
                        .withCompanion(new SearchRequest.CompanionQuery(unit(1, 0, 0), 0.25))))
                .isInstanceOf(IndexException.NonRetriable.class)
                .hasMessageContaining("companion query vector");
        assertThat(idx.count()).isZero();
    }

    @Test
    void reopeningWithOtherDimensionsFailsClearly() {
        PgVectorIndex.builder()
                .dataSource(dataSource)
                .table("dims_check")
                .dimensions(DIMS)
                .build();
        assertThatThrownBy(() -> PgVectorIndex.builder()
                        .dataSource(dataSource)
                        .table("dims_check")
                        .dimensions(8)
                        .build())
                .isInstanceOf(IndexException.NonRetriable.class)
                .hasMessageContaining("holds 4-dimensional vectors")
                .hasMessageContaining("dimensions=8");
    }

    @Test
    void keywordRankingWeighsRareWordsAboveFrequentCommonOnes() {
        // BM25's idf: "turbine" (one row) says more than "engine" (five rows), however often a row repeats "engine".
        // PostgreSQL's ts_rank_cd has no idf and put "repeats" first.
        PgVectorIndex bm25 = PgVectorIndex.builder()
                .dataSource(dataSource)
                .table("bm25_" + TABLES.incrementAndGet())
                .dimensions(DIMS)
                .build();
        bm25.upsert(List.of(
                chunk("repeats", "d1", "engine engine engine engine report", unit(1, 0, 0, 0)),
                chunk("rare", "d2", "turbine report", unit(0, 1, 0, 0)),
                chunk("e1", "d3", "engine notes", unit(0, 0, 1, 0)),
                chunk("e2", "d4", "engine manual", unit(0, 0, 0, 1)),
                chunk("e3", "d5", "engine parts", unit(1, 1, 0, 0)),
                chunk("e4", "d6", "engine sketch", unit(0, 1, 1, 0))));
        List<SearchHit> hits = bm25.search(request("engine turbine", null, 10, SearchMode.KEYWORD, SearchFilter.NONE));
        assertThat(ids(hits).getFirst()).isEqualTo("rare");
        assertThat(ids(hits)).hasSize(6).element(1).isEqualTo("repeats");
        // idf(turbine) = ln(1 + (6 - 1 + 0.5) / 1.5), tf 1, dl 2 distinct words, avgdl 2: 1.9 / (1 + 0.9) = 1.
        assertThat(hits.getFirst().score())
                .isCloseTo(Math.log(1 + 5.5 / 1.5), org.assertj.core.data.Offset.offset(1e-6));
        // A word in no row contributes nothing and fails nothing.
        assertThat(ids(bm25.search(request("zeppelin", null, 10, SearchMode.KEYWORD, SearchFilter.NONE))))
                .isEmpty();
    }

    @Test
    void halfvecStorageSearches() {
        PgVectorIndex half = PgVectorIndex.builder()
                .dataSource(dataSource)
                .table("half_" + TABLES.incrementAndGet())
                .dimensions(DIMS)
                .storage(VectorStorage.HALFVEC)
                .build();
        half.upsert(List.of(chunk("x", "d", "x", unit(1, 0, 0, 0)), chunk("y", "d", "y", unit(0, 1, 0, 0))));
        List<SearchHit> hits = half.search(request(null, QUERY, 2, SearchMode.VECTOR, SearchFilter.NONE));
        assertThat(ids(hits)).containsExactly("x", "y");
        assertThat(hits.getFirst().score()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
    }

    @Test
    void aBulkLoadWithoutTheGraphSearchesTheSameOnceTheGraphIsBuilt() throws Exception {
        PgVectorIndex bulk = PgVectorIndex.builder()
                .dataSource(dataSource)
                .table("bulk_" + TABLES.incrementAndGet())
                .dimensions(DIMS)
                .nativeDimensions(2)
                .build();
        bulk.dropVectorIndexes();
        assertThat(hnswIndexes(bulk.table())).isEmpty();
        bulk.upsert(List.of(
                chunk("x", "d", "x", unit(1, 0, 0, 0)),
                chunk("y", "d", "y", unit(1, 1, 0, 0)),
                chunk("z", "d", "z", unit(0, 0, 1, 0))));
        // Without the graph the search is an exact scan: same order.
        assertThat(ids(bulk.search(request(null, QUERY, 3, SearchMode.VECTOR, SearchFilter.NONE))))
                .containsExactly("x", "y", "z");
        bulk.buildVectorIndexes();
        assertThat(hnswIndexes(bulk.table()))
                .containsExactlyInAnyOrder(bulk.table() + "_hnsw", bulk.table() + "_native_hnsw");
        assertThat(ids(bulk.search(request(null, QUERY, 3, SearchMode.VECTOR, SearchFilter.NONE))))
                .containsExactly("x", "y", "z");
        bulk.buildVectorIndexes(); // a no-op when built
        bulk.analyze();
        assertThat(bulk.sizeBytes()).isPositive();
    }

    @Test
    void aQueryWordInMoreRowsThanTheKeywordBudgetNarrowsTheCandidatesToTheRarerWordsRows() throws Exception {
        String table = "narrowed_" + TABLES.incrementAndGet();
        PgVectorIndex exact = PgVectorIndex.builder()
                .dataSource(dataSource)
                .table(table)
                .dimensions(DIMS)
                .keywordCandidates(0)
                .build();
        // "orchard" in every one of 6,000 rows, "grafting" in three of them, "pruning" in two others.
        List<IndexedChunk> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            String text = "orchard notes row " + i + (i % 2000 == 7 ? " grafting" : "")
                    + (i == 11 || i == 12 ? " pruning" : "");
            rows.add(chunk("r" + i, "d" + i / 100, text, unit(1, 0, 0, 0)));
        }
        exact.upsert(rows);
        try (var c = dataSource.getConnection();
                var st = c.createStatement()) {
            st.execute("ANALYZE " + table);
        }
        PgVectorIndex narrowed = PgVectorIndex.builder()
                .dataSource(dataSource)
                .table(table)
                .dimensions(DIMS)
                .keywordCandidates(1000)
                .build();
        SearchRequest query = request("orchard grafting pruning", null, 4, SearchMode.KEYWORD, SearchFilter.NONE);
        List<SearchHit> all = exact.search(query);
        List<SearchHit> few = narrowed.search(query);
        // Exact: the rows with a rare word first.
        assertThat(ids(all)).hasSize(4).isSubsetOf("r7", "r2007", "r4007", "r11", "r12");
        // Narrowed: "orchard"'s 6,000 rows are over the budget, so only the rarer words' five rows are scored, by every
        // word, as exact BM25 scores them.
        assertThat(ids(few)).containsExactlyElementsOf(ids(all));
        for (int i = 0; i < few.size(); i++) {
            assertThat(few.get(i).score()).isCloseTo(all.get(i).score(), org.assertj.core.data.Offset.offset(1e-9));
        }
        // Asked for more hits than the rarer words' rows hold, or within one document, it scores "orchard"'s rows too.
        SearchRequest more = request("orchard grafting pruning", null, 10, SearchMode.KEYWORD, SearchFilter.NONE);
        assertThat(ids(narrowed.search(more))).containsExactlyElementsOf(ids(exact.search(more)));
        SearchRequest inDocument = request(
                "orchard grafting pruning", null, 3, SearchMode.KEYWORD, new SearchFilter("d30", null, Map.of()));
        assertThat(ids(narrowed.search(inDocument)))
                .hasSize(3)
                .containsExactlyElementsOf(ids(exact.search(inDocument)));
        // A query of the common word alone still finds its rows.
        assertThat(narrowed.search(request("orchard", null, 3, SearchMode.KEYWORD, SearchFilter.NONE)))
                .hasSize(3);
    }

    private static List<String> hnswIndexes(String table) throws Exception {
        try (var c = dataSource.getConnection();
                var ps = c.prepareStatement(
                        "SELECT indexname FROM pg_indexes WHERE tablename = ? AND indexdef LIKE '%USING hnsw%'")) {
            ps.setString(1, table);
            List<String> names = new java.util.ArrayList<>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        }
    }

    @Test
    void metadataWithQuotesAndNewlinesRoundTrips() {
        Map<String, String> metadata = Map.of("title", "a \"quoted\"\nline\\", "émoji", "✓");
        index.upsert(List.of(
                new IndexedChunk("m", "d", "f.txt", "text/plain", "meta text", unit(1, 0, 0, 0), null, metadata)));
        SearchHit hit = index.search(request(
                        "meta", null, 1, SearchMode.KEYWORD, new SearchFilter(null, null, Map.of("émoji", "✓"))))
                .getFirst();
        assertThat(hit.metadata()).isEqualTo(metadata);
    }

    @Test
    void builderRejectsInvalidParametersNamingThem() {
        assertThatThrownBy(() -> PgVectorIndex.builder()
                        .dataSource(dataSource)
                        .table("Bad-Name")
                        .dimensions(4)
                        .build())
                .hasMessageContaining("table=Bad-Name");
        assertThatThrownBy(() -> PgVectorIndex.builder()
                        .dataSource(dataSource)
                        .table("t")
                        .dimensions(0)
                        .build())
                .hasMessage("dimensions must be in 1..2000 for vector; dimensions=0");
        assertThatThrownBy(() -> PgVectorIndex.builder()
                        .dataSource(dataSource)
                        .table("t")
                        .dimensions(4)
                        .hnswM(1)
                        .build())
                .hasMessage("hnswM must be in 2..100; hnswM=1");
    }
}
