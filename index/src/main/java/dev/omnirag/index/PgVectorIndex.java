package dev.omnirag.index;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A {@link VectorIndex} in PostgreSQL with the pgvector extension: one table per index holding each chunk's
 * text, vector, locator and filter fields. Vector search uses an HNSW index with the similarity's operator
 * class; keyword search uses PostgreSQL full-text search (a {@code tsvector} column generated from the chunk's
 * {@code keyword_text} or else its {@code text}, a GIN index) with
 * the query's words OR-ed, ranked by BM25 computed in SQL; hybrid fuses the two lists exactly as
 * {@link LuceneHybridIndex} does. Filters are pushed into SQL. Every write is its own transaction, so changes
 * are visible and durable when a call returns ({@link #commit()} has nothing left to do).
 *
 * <p>Locators are columns ({@code page}, {@code char_start}, {@code char_end}, {@code bbox_x..bbox_h},
 * {@code start_ms}, {@code end_ms}, {@code sheet}); the optional native vector is the nullable column {@code native_embedding}
 * with its own HNSW index (rows without one are not indexed by HNSW and never appear in the native list).
 *
 * <p>Scores follow the {@link VectorIndex} contract: vector scores are mapped like Lucene's
 * ({@code (1 + dot) / 2}, {@code (1 + cos) / 2}, {@code 1 / (1 + l2²)}), keyword scores are BM25
 * (≥ 0). Thread safe: each call borrows its own connection from the data source, which the caller owns.
 *
 * <p>Long because the pgvector backend implements the whole VectorIndex contract in SQL: schema and its upgrades, full-
 * text and vector search with filters, iterative scans and fusion.
 */
public final class PgVectorIndex implements VectorIndex {

    /** Rows the keyword side scores at most by default before it narrows to the rarer words' rows. */
    public static final int DEFAULT_KEYWORD_CANDIDATES = 20_000;

    private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]{0,54}");
    private static final Pattern TS_CONFIG = Pattern.compile("[a-z_]{1,63}");
    private static final String COLUMNS =
            "chunk_id, document_id, filename, media_type, text, page, char_start, char_end, "
                    + "metadata, bbox_x, bbox_y, bbox_w, bbox_h, start_ms, end_ms, sheet";

    private final DataSource dataSource;
    private final String table;
    private final int dimensions;
    private final int nativeDimensions;
    private final VectorSimilarity similarity;
    private final VectorStorage storage;
    private final int efSearch;
    private final int hybridCandidates;
    private final int rrfK;
    private final String textSearchConfig;
    private final int hnswM;
    private final int efConstruction;
    private final int keywordCandidates;
    /** pgvector 0.8+ can continue an HNSW scan until enough rows pass the filter. */
    private boolean iterativeScan;

    private PgVectorIndex(Builder b) {
        this.dataSource = b.dataSource;
        this.table = b.table;
        this.dimensions = b.dimensions;
        this.nativeDimensions = b.nativeDimensions;
        this.similarity = b.similarity;
        this.storage = b.storage;
        this.efSearch = b.efSearch;
        this.hybridCandidates = b.hybridCandidates;
        this.rrfK = b.rrfK;
        this.textSearchConfig = b.textSearchConfig;
        this.hnswM = b.hnswM;
        this.efConstruction = b.efConstruction;
        this.keywordCandidates = b.keywordCandidates;
        createSchema(b);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    @Override
    public int nativeDimensions() {
        return nativeDimensions;
    }

    /** The table holding this index's chunks. */
    public String table() {
        return table;
    }

    // ---- schema -----------------------------------------------------------------------------------------

    private void createSchema(Builder b) {
        String type = storage.sqlType() + "(" + dimensions + ")";
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            if (b.createExtension) {
                try {
                    st.execute("CREATE EXTENSION IF NOT EXISTS vector");
                } catch (SQLException e) {
                    // Not allowed to create it; fine if an administrator already did.
                    if (!extensionInstalled(c)) {
                        throw new IndexException.NonRetriable(
                                "the PostgreSQL extension 'vector' (pgvector) is not "
                                        + "installed and cannot be created: " + e.getMessage()
                                        + "; install pgvector and run CREATE EXTENSION vector (see docs/scaling.md)",
                                e);
                    }
                }
            } else if (!extensionInstalled(c)) {
                throw new IndexException.NonRetriable("the PostgreSQL extension 'vector' (pgvector) is not installed");
            }
            iterativeScan = supportsIterativeScan(c);
            Integer existing = existingDimensions(c, "embedding");
            if (existing != null && existing != dimensions) {
                throw new IndexException.NonRetriable("table " + table + " holds " + existing
                        + "-dimensional vectors but the index was opened with dimensions=" + dimensions);
            }
            st.execute("CREATE TABLE IF NOT EXISTS " + table + " ("
                    + "chunk_id TEXT PRIMARY KEY, document_id TEXT NOT NULL, filename TEXT NOT NULL, "
                    + "media_type TEXT NOT NULL, text TEXT NOT NULL, embedding " + type + " NOT NULL, "
                    + "page INT, char_start INT, char_end INT, metadata JSONB NOT NULL DEFAULT '{}', "
                    + "keyword_text TEXT, " + tsvColumn() + ")");
            // Tables created before locators had boxes, times and sheets get the columns now (a no-op afterwards).
            for (String column : List.of(
                    "bbox_x DOUBLE PRECISION",
                    "bbox_y DOUBLE PRECISION",
                    "bbox_w DOUBLE PRECISION",
                    "bbox_h DOUBLE PRECISION",
                    "start_ms BIGINT",
                    "end_ms BIGINT",
                    "sheet TEXT")) {
                st.execute("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS " + column);
            }
            st.execute("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS keyword_text TEXT");
            if (!tsvReadsKeywordText(c)) {
                // A table made before keyword_text: its tsvector is generated again from the keyword text (a rewrite
                // of the table, once; the GIN index goes with the column and is created again below).
                st.execute("ALTER TABLE " + table + " DROP COLUMN tsv, ADD COLUMN " + tsvColumn());
            }
            if (nativeDimensions > 0) {
                Integer existingNative = existingDimensions(c, "native_embedding");
                if (existingNative != null && existingNative != nativeDimensions) {
                    throw new IndexException.NonRetriable("table " + table + " holds " + existingNative
                            + "-dimensional native vectors but the index was opened with nativeDimensions="
                            + nativeDimensions);
                }
                st.execute("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS native_embedding " + storage.sqlType()
                        + "(" + nativeDimensions + ")");
            }
            createVectorIndexes(st);
            st.execute("CREATE INDEX IF NOT EXISTS " + table + "_tsv ON " + table + " USING gin (tsv)");
            st.execute("CREATE INDEX IF NOT EXISTS " + table + "_doc ON " + table + " (document_id)");
            st.execute("CREATE INDEX IF NOT EXISTS " + table + "_meta ON " + table
                    + " USING gin (metadata jsonb_path_ops)");
        } catch (SQLException e) {
            throw failure("create table " + table, e);
        }
    }

    /** The generated full-text column: the keyword text when a chunk has one, else its text. */
    private String tsvColumn() {
        return "tsv TSVECTOR GENERATED ALWAYS AS (to_tsvector('" + textSearchConfig
                + "'::regconfig, coalesce(keyword_text, text))) STORED";
    }

    /** Whether the table's {@code tsv} column is generated from {@code keyword_text} (tables made since it exists). */
    private boolean tsvReadsKeywordText(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d "
                + "JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum "
                + "WHERE d.adrelid = ?::regclass AND a.attname = 'tsv'")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return !rs.next() || rs.getString(1) == null || rs.getString(1).contains("keyword_text");
            }
        }
    }

    private static boolean extensionInstalled(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT 1 FROM pg_extension WHERE extname = 'vector'")) {
            return rs.next();
        }
    }

    private static boolean supportsIterativeScan(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT extversion FROM pg_extension WHERE extname = 'vector'")) {
            if (!rs.next()) {
                return false;
            }
            String[] v = rs.getString(1).split("\\.");
            int major = Integer.parseInt(v[0]);
            int minor = v.length > 1 ? Integer.parseInt(v[1]) : 0;
            return major > 0 || minor >= 8;
        }
    }

    private Integer existingDimensions(Connection c, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT a.atttypmod FROM pg_attribute a JOIN pg_class t "
                + "ON a.attrelid = t.oid WHERE t.relname = ? AND a.attname = ? AND t.relkind = 'r' "
                + "AND NOT a.attisdropped AND pg_table_is_visible(t.oid)")) {
            ps.setString(1, table);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    private String opsClass() {
        String prefix = storage == VectorStorage.HALFVEC ? "halfvec" : "vector";
        return switch (similarity) {
            case DOT_PRODUCT -> prefix + "_ip_ops";
            case COSINE -> prefix + "_cosine_ops";
            case EUCLIDEAN -> prefix + "_l2_ops";
        };
    }

    private String distanceOperator() {
        return switch (similarity) {
            case DOT_PRODUCT -> "<#>";
            case COSINE -> "<=>";
            case EUCLIDEAN -> "<->";
        };
    }

    /** Lucene's score for the pgvector distance, so both backends report the same scale. */
    private double score(double distance) {
        double s = switch (similarity) {
            case DOT_PRODUCT -> (1 - distance) / 2; // <#> is the negative inner product
            case COSINE -> (2 - distance) / 2; // <=> is 1 - cosine
            case EUCLIDEAN -> 1 / (1 + distance * distance);
        };
        return Math.min(1.0, Math.max(0.0, s));
    }

    /** The HNSW indexes of the vector columns, as a new table gets them (a no-op for those that exist). */
    private void createVectorIndexes(Statement st) throws SQLException {
        String with = ") WITH (m = " + hnswM + ", ef_construction = " + efConstruction + ")";
        if (nativeDimensions > 0) {
            st.execute("CREATE INDEX IF NOT EXISTS " + table + "_native_hnsw ON " + table
                    + " USING hnsw (native_embedding " + opsClass() + with);
        }
        st.execute("CREATE INDEX IF NOT EXISTS " + table + "_hnsw ON " + table + " USING hnsw (embedding " + opsClass()
                + with);
    }

    /**
     * Drops the HNSW indexes so that a first bulk load does not maintain the graph row by row; searches meanwhile are
     * exact scans. {@link #buildVectorIndexes()} builds them again once the rows are in: one build, in parallel as the
     * server's {@code max_parallel_maintenance_workers} allows, is several times faster than a million inserts each
     * walking the graph (docs/scaling.md, "A large first load").
     */
    public void dropVectorIndexes() {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            st.execute("DROP INDEX IF EXISTS " + table + "_hnsw");
            st.execute("DROP INDEX IF EXISTS " + table + "_native_hnsw");
        } catch (SQLException e) {
            throw failure("drop the HNSW indexes of " + table, e);
        }
    }

    /**
     * Builds the HNSW indexes {@link #dropVectorIndexes()} dropped, with the names, operator class, {@code m} and
     * {@code ef_construction} a new table gets (a no-op for an index that exists). Blocks until built; the build's
     * memory and workers are the server's ({@code maintenance_work_mem}, {@code max_parallel_maintenance_workers}).
     */
    public void buildVectorIndexes() {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            createVectorIndexes(st);
        } catch (SQLException e) {
            throw failure("build the HNSW indexes of " + table, e);
        }
    }

    /** Refreshes the planner's statistics of the table: after a bulk load, before autovacuum gets to it. */
    public void analyze() {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            st.execute("ANALYZE " + table);
        } catch (SQLException e) {
            throw failure("analyze " + table, e);
        }
    }

    /** The table's size on disk with its indexes, in bytes. */
    public long sizeBytes() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT pg_total_relation_size(?::regclass)")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw failure("size of " + table, e);
        }
    }

    /** Drops the table and its indexes (deleting a collection). The index is unusable afterwards. */
    public void drop() {
        stats.invalidate();
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + table);
        } catch (SQLException e) {
            throw failure("drop table " + table, e);
        }
    }

    // ---- writes -----------------------------------------------------------------------------------------

    @Override
    public void upsert(List<IndexedChunk> chunks) {
        stats.invalidate();
        Objects.requireNonNull(chunks, "chunks must not be null");
        if (chunks.isEmpty()) {
            return;
        }
        // Validate everything first so a bad chunk rejects the whole batch before anything is written.
        Map<String, IndexedChunk> last = new LinkedHashMap<>();
        for (IndexedChunk chunk : chunks) {
            Objects.requireNonNull(chunk, "chunks must not contain null");
            checkVector(chunk.vector(), "vector of chunk " + chunk.chunkId());
            if (chunk.nativeVector() != null) {
                checkNativeVector(chunk.nativeVector(), "native vector of chunk " + chunk.chunkId());
            }
            if (chunk.companionVector() != null) {
                throw noCompanion("companion vector of chunk " + chunk.chunkId());
            }
            last.remove(chunk.chunkId());
            last.put(chunk.chunkId(), chunk);
        }
        boolean withNative = nativeDimensions > 0;
        String sql = "INSERT INTO " + table + " (" + COLUMNS + ", keyword_text, embedding"
                + (withNative ? ", native_embedding" : "")
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?::" + storage.sqlType()
                + (withNative ? ", ?::" + storage.sqlType() : "")
                + ") ON CONFLICT (chunk_id) DO UPDATE SET document_id = EXCLUDED.document_id, "
                + "filename = EXCLUDED.filename, media_type = EXCLUDED.media_type, text = EXCLUDED.text, "
                + "page = EXCLUDED.page, char_start = EXCLUDED.char_start, char_end = EXCLUDED.char_end, "
                + "metadata = EXCLUDED.metadata, bbox_x = EXCLUDED.bbox_x, bbox_y = EXCLUDED.bbox_y, "
                + "bbox_w = EXCLUDED.bbox_w, bbox_h = EXCLUDED.bbox_h, start_ms = EXCLUDED.start_ms, "
                + "end_ms = EXCLUDED.end_ms, sheet = EXCLUDED.sheet, keyword_text = EXCLUDED.keyword_text, "
                + "embedding = EXCLUDED.embedding"
                + (withNative ? ", native_embedding = EXCLUDED.native_embedding" : "");
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int pending = 0;
                for (IndexedChunk chunk : last.values()) {
                    ps.setString(1, chunk.chunkId());
                    ps.setString(2, chunk.documentId());
                    ps.setString(3, chunk.filename());
                    ps.setString(4, chunk.mediaType());
                    ps.setString(5, stripNul(chunk.text()));
                    setInt(ps, 6, chunk.locator().page());
                    setInt(ps, 7, chunk.locator().charStart());
                    setInt(ps, 8, chunk.locator().charEnd());
                    ps.setString(9, json(chunk.metadata()));
                    BoundingBox box = chunk.locator().bbox();
                    setDouble(ps, 10, box == null ? null : box.x());
                    setDouble(ps, 11, box == null ? null : box.y());
                    setDouble(ps, 12, box == null ? null : box.w());
                    setDouble(ps, 13, box == null ? null : box.h());
                    setLong(ps, 14, chunk.locator().startMs());
                    setLong(ps, 15, chunk.locator().endMs());
                    ps.setString(
                            16,
                            chunk.locator().sheet() == null
                                    ? null
                                    : stripNul(chunk.locator().sheet()));
                    ps.setString(17, keywordText(chunk));
                    ps.setString(18, literal(chunk.vector()));
                    if (withNative) {
                        ps.setString(19, chunk.nativeVector() == null ? null : literal(chunk.nativeVector()));
                    }
                    ps.addBatch();
                    if (++pending == 500) {
                        ps.executeBatch();
                        pending = 0;
                    }
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failure("upsert into " + table, e);
        }
    }

    @Override
    public long deleteDocument(String documentId) {
        stats.invalidate();
        return update("DELETE FROM " + table + " WHERE document_id = ?", documentId);
    }

    @Override
    public long count() {
        return queryLong("SELECT count(*) FROM " + table);
    }

    @Override
    public long countDocument(String documentId) {
        return queryLong("SELECT count(*) FROM " + table + " WHERE document_id = ?", documentId);
    }

    @Override
    public Map<String, String> texts(List<String> chunkIds) {
        Objects.requireNonNull(chunkIds, "chunkIds must not be null");
        if (chunkIds.isEmpty()) {
            return Map.of();
        }
        Map<String, String> found = new java.util.HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT chunk_id, text FROM " + table + " WHERE chunk_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", chunkIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(1), rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw failure("read texts from " + table, e);
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String id : chunkIds) {
            String text = found.get(id);
            if (text != null) {
                out.put(id, text);
            }
        }
        return out;
    }

    @Override
    public Map<String, float[]> vectors(List<String> chunkIds, VectorField field) {
        Objects.requireNonNull(chunkIds, "chunkIds must not be null");
        Objects.requireNonNull(field, "field must not be null");
        if (chunkIds.isEmpty()
                || field == VectorField.COMPANION
                || (field == VectorField.NATIVE && nativeDimensions == 0)) {
            return Map.of();
        }
        String column = field == VectorField.TEXT ? "embedding" : "native_embedding";
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT chunk_id, " + column + "::text FROM " + table
                        + " WHERE chunk_id = ANY(?) AND " + column + " IS NOT NULL")) {
            ps.setArray(1, c.createArrayOf("text", chunkIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), parseVector(rs.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw failure("read vectors from " + table, e);
        }
        return out;
    }

    /** pgvector's text form {@code [0.1,0.2,...]}. */
    private static float[] parseVector(String text) {
        String inner = text.strip();
        inner = inner.substring(1, inner.length() - 1);
        if (inner.isBlank()) {
            return new float[0];
        }
        String[] parts = inner.split(",");
        float[] v = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            v[i] = Float.parseFloat(parts[i].strip());
        }
        return v;
    }

    @Override
    public Map<String, Long> documentChunkCounts() {
        Map<String, Long> out = new java.util.HashMap<>();
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT document_id, count(*) FROM " + table + " GROUP BY document_id")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw failure("count chunks per document in " + table, e);
        }
        return out;
    }

    /** Nothing to do: every write committed before it returned. */
    @Override
    public void commit() {}

    /** The data source belongs to the caller; nothing to release. */
    @Override
    public void close() {}

    // ---- search -----------------------------------------------------------------------------------------

    @Override
    public List<SearchHit> search(SearchRequest request) {
        Objects.requireNonNull(request, "request must not be null");
        if (request.mode() != SearchMode.KEYWORD && request.queryVector() != null) {
            checkVector(request.queryVector(), "query vector");
        }
        if (request.mode() != SearchMode.KEYWORD && request.nativeQueryVector() != null) {
            checkNativeVector(request.nativeQueryVector(), "native query vector");
        }
        if (request.mode() != SearchMode.KEYWORD && request.companion() != null) {
            throw noCompanion("companion query vector");
        }
        int k = request.k();
        try (Connection c = dataSource.getConnection()) {
            return switch (request.mode()) {
                case KEYWORD -> keyword(c, request.queryText(), request.context(), request.filter(), k);
                case VECTOR ->
                    request.nativeQueryVector() == null
                            ? vector(c, "embedding", request.queryVector(), request.filter(), k)
                            : request.queryVector() == null
                                    ? vector(c, "native_embedding", request.nativeQueryVector(), request.filter(), k)
                                    : fused(c, request, false);
                case HYBRID -> fused(c, request, true);
            };
        } catch (SQLException e) {
            throw failure("search " + table, e);
        }
    }

    /** The companion field (a second text model's vectors) is Lucene's only, as RM3 is: a table has no such column. */
    private IndexException noCompanion(String what) {
        return new IndexException.NonRetriable(what + " given, but the pgvector table " + table
                + " has no companion vector field (the companion embedder needs the Lucene backend)");
    }

    /** HYBRID or VECTOR with both vector lists, as {@link HybridFusion#search} orchestrates it for every backend. */
    private List<SearchHit> fused(Connection c, SearchRequest request, boolean withKeyword) throws SQLException {
        return HybridFusion.search(
                request, withKeyword, hybridCandidates, rrfK, new HybridFusion.Retrievers<SearchHit, SQLException>() {
                    @Override
                    public List<SearchHit> keyword(int n) throws SQLException {
                        return PgVectorIndex.this.keyword(
                                c, request.queryText(), request.context(), request.filter(), n);
                    }

                    @Override
                    public List<SearchHit> vector(HybridFusion.VectorField field, float[] vector, int n)
                            throws SQLException {
                        return PgVectorIndex.this.vector(
                                c,
                                field == HybridFusion.VectorField.TEXT ? "embedding" : "native_embedding",
                                vector,
                                request.filter(),
                                n);
                    }

                    @Override
                    public String chunkId(SearchHit hit) {
                        return hit.chunkId();
                    }

                    @Override
                    public double score(SearchHit hit) {
                        return hit.score();
                    }

                    @Override
                    public SearchHit withScore(SearchHit hit, double score) {
                        return hit.withScore(score);
                    }
                });
    }

    /**
     * BM25 over PostgreSQL's full-text search, with {@link LuceneHybridIndex}'s k1 and b: each candidate row is scored
     * as {@code sum over query words of count in query × idf × tf·(k1+1) / (tf + k1·(1 − b + b·dl/avgdl))}, idf =
     * {@code ln(1 + (N − df + 0.5)/(df + 0.5))}, tf the word's positions in the row's {@code tsvector}, dl its number of
     * distinct words and avgdl their mean ({@link CorpusStats}). PostgreSQL's own {@code ts_rank_cd} has no idf: a
     * common word counts as much as a rare one, and on the evaluation pool it ranked far below BM25
     * (docs/evaluation.md).
     *
     * <p>The candidates are the rows that hold any query word, unless those are more than {@code keywordCandidates} (in
     * a table of more rows than that, searched without a filter): then the rows that hold any of the query's rarest
     * words, taken from the rarest on while their rows stay within that many, and further until they are at least
     * {@code n} (every query word, and every context word, still scores them). A common word's rows are the most and weigh the least; scoring a few
     * hundred thousand rows for "high" or "model" took seconds at a million chunks, and a row that holds none of the
     * rarer words rarely ranks among the best (docs/benchmarks.md, "pgvector at a million chunks").
     */
    private List<SearchHit> keyword(Connection c, String text, List<KeywordContext> context, SearchFilter filter, int n)
            throws SQLException {
        CorpusStats corpus = stats.current(c);
        List<QueryWord> words = queryWords(c, text, context);
        Map<String, Long> dfs = documentFrequencies(
                c, words.stream().map(QueryWord::lexeme).distinct().toList(), corpus);
        // Each source's words: the query's all, a context's only the rarest found in the table (KeywordContext).
        Map<Integer, List<QueryWord>> bySource = new java.util.TreeMap<>();
        for (QueryWord w : words) {
            bySource.computeIfAbsent(w.source(), s -> new ArrayList<>()).add(w);
        }
        Map<String, Double> qtf = new LinkedHashMap<>();
        for (var source : bySource.entrySet()) {
            List<QueryWord> list = source.getValue();
            if (source.getKey() > 0) {
                list = list.stream()
                        .filter(w -> dfs.get(w.lexeme()) > 0)
                        .sorted(java.util.Comparator.comparingLong((QueryWord w) -> dfs.get(w.lexeme()))
                                .thenComparing(QueryWord::lexeme))
                        .limit(KeywordContext.MAX_TERMS)
                        .toList();
            }
            for (QueryWord w : list) {
                qtf.merge(w.lexeme(), w.qtf(), Double::sum);
            }
        }
        List<String> lexemes = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (var e : qtf.entrySet()) {
            long df = dfs.get(e.getKey());
            lexemes.add(e.getKey());
            weights.add(e.getValue() * Math.log(1 + (corpus.rows() - df + 0.5) / (df + 0.5)));
        }
        Set<String> queryOwn = new HashSet<>();
        words.stream().filter(w -> w.source() == 0).forEach(w -> queryOwn.add(w.lexeme()));
        List<String> candidates = candidateWords(lexemes, queryOwn, dfs, corpus, filter, n);
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<Object> params = new ArrayList<>();
        params.add(c.createArrayOf("text", lexemes.toArray()));
        params.add(c.createArrayOf("float8", weights.toArray()));
        params.add(corpus.avgLength());
        params.add(c.createArrayOf("text", candidates.toArray()));
        String sql = "WITH w AS MATERIALIZED (SELECT * FROM unnest(?::text[], ?::float8[]) AS w(lexeme, weight)),"
                + " avgdl AS (SELECT greatest(?::float8, 1) AS v)"
                + " SELECT " + COLUMNS + ", (SELECT coalesce(sum(w.weight * u.tf * " + (BM25_K1 + 1) + " / (u.tf + "
                + BM25_K1 + " * (1 - " + BM25_B + " + " + BM25_B + " * length(" + table + ".tsv) / avgdl.v))), 0)"
                + " FROM (SELECT lexeme, coalesce(array_length(positions, 1), 1) AS tf FROM unnest(" + table
                + ".tsv)) u"
                + " JOIN w ON w.lexeme = u.lexeme) AS score"
                + " FROM " + table + ", avgdl,"
                + " (SELECT string_agg(quote_literal(l), ' | ')::tsquery AS q FROM unnest(?::text[]) l) query"
                + " WHERE tsv @@ q" + where(filter, params, " AND ")
                + " ORDER BY score DESC, chunk_id COLLATE \"C\" LIMIT " + n;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return read(ps, false);
        }
    }

    /**
     * The {@code keyword_text} column: what keyword search reads, with CJK text as its pairs of characters
     * ({@link CjkBigrams}); null where that is the chunk's text as it is.
     */
    private static String keywordText(IndexedChunk chunk) {
        String spaced = CjkBigrams.spaced(chunk.keywordText() == null ? chunk.text() : chunk.keywordText());
        if (chunk.keywordText() == null && spaced.equals(chunk.text())) {
            return null;
        }
        return stripNul(spaced);
    }

    /** An analysed word of the query (source 0, its count in the query) or of a context (source i, its weight). */
    private record QueryWord(String lexeme, double qtf, int source) {}

    private List<QueryWord> queryWords(Connection c, String text, List<KeywordContext> context) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT lexeme, coalesce(array_length(positions, 1), 1)::float8, 0"
                + " FROM unnest(to_tsvector('" + textSearchConfig + "'::regconfig, ?))");
        List<Object> params = new ArrayList<>();
        params.add(stripNul(CjkBigrams.spaced(text)));
        for (int i = 0; i < context.size(); i++) {
            sql.append(" UNION ALL SELECT lexeme, ?::float8, ")
                    .append(i + 1)
                    .append(" FROM unnest(to_tsvector('")
                    .append(textSearchConfig)
                    .append("'::regconfig, ?))");
            params.add(context.get(i).weight());
            params.add(stripNul(CjkBigrams.spaced(context.get(i).text())));
        }
        List<QueryWord> words = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    words.add(new QueryWord(rs.getString(1), rs.getDouble(2), rs.getInt(3)));
                }
            }
        }
        return words;
    }

    /** A word's rows are estimated from the table's statistics from this many on; fewer are counted. */
    static final long ESTIMATED_FROM = 5_000;

    /**
     * Rows holding each word: counted through the GIN index, except a word the table's statistics (ANALYZE's most
     * common elements of {@code tsv}) put at {@link #ESTIMATED_FROM} rows or more, whose share of a sample stands for
     * it: counting "high" in a million chunks reads 74,000 rows (0.6 s), and ANALYZE's 30,000-row sample puts a word
     * of 10,000 rows within a few percent, which moves its idf by about 1 %.
     */
    private Map<String, Long> documentFrequencies(Connection c, List<String> lexemes, CorpusStats corpus)
            throws SQLException {
        Map<String, Long> out = new HashMap<>();
        if (lexemes.isEmpty()) {
            return out;
        }
        if (corpus.rows() >= ESTIMATED_FROM) {
            try (PreparedStatement ps = c.prepareStatement("SELECT e, f FROM pg_stats s, LATERAL unnest("
                    + "s.most_common_elems::text::text[], s.most_common_elem_freqs) AS m(e, f)"
                    + " WHERE s.schemaname = current_schema() AND s.tablename = ? AND s.attname = 'tsv'"
                    + " AND e = ANY (?::text[])")) {
                ps.setString(1, table);
                ps.setArray(2, c.createArrayOf("text", lexemes.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long estimate = Math.round(rs.getDouble(2) * corpus.rows());
                        if (estimate >= ESTIMATED_FROM) {
                            out.put(rs.getString(1), Math.min(corpus.rows(), estimate));
                        }
                    }
                }
            }
        }
        List<String> counted = lexemes.stream().filter(l -> !out.containsKey(l)).toList();
        if (!counted.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT l, (SELECT count(*) FROM " + table
                    + " t WHERE t.tsv @@ quote_literal(l)::tsquery) FROM unnest(?::text[]) l")) {
                ps.setArray(1, c.createArrayOf("text", counted.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        // The row count is cached (StatsCache): another writer may have added rows since.
                        out.put(rs.getString(1), Math.min(corpus.rows(), rs.getLong(2)));
                    }
                }
            }
        }
        return out;
    }

    /**
     * The words whose rows are the candidates: all that occur, unless the table has more rows than
     * {@code keywordCandidates}, no filter narrows the search and the words' rows add up to more than that; then the
     * query's own words from the rarest on (a context's words after them) while their rows stay within it, and past it
     * until they reach {@code n} (so a narrowed list is not shorter than an exact one).
     */
    private List<String> candidateWords(
            List<String> lexemes,
            Set<String> queryOwn,
            Map<String, Long> dfs,
            CorpusStats corpus,
            SearchFilter filter,
            int n) {
        List<String> present = lexemes.stream()
                .filter(l -> dfs.get(l) > 0)
                .sorted(java.util.Comparator.comparing((String l) -> !queryOwn.contains(l))
                        .thenComparingLong(dfs::get)
                        .thenComparing(java.util.Comparator.naturalOrder()))
                .toList();
        long total = present.stream().mapToLong(dfs::get).sum();
        // A filter's rows are not among the table's counts: narrowing by them could leave a document's chunks out.
        boolean narrow = keywordCandidates > 0
                && corpus.rows() > keywordCandidates
                && total > keywordCandidates
                && (filter.documentId() == null || filter.documentId().isEmpty())
                && (filter.mediaType() == null || filter.mediaType().isEmpty())
                && filter.metadata().isEmpty();
        if (!narrow) {
            return present;
        }
        List<String> out = new ArrayList<>();
        long rows = 0;
        for (String l : present) {
            if (!out.isEmpty() && rows + dfs.get(l) > keywordCandidates && rows >= n) {
                break;
            }
            out.add(l);
            rows += dfs.get(l);
        }
        return out;
    }

    private static final float BM25_K1 = LuceneHybridIndex.DEFAULT_BM25_K1;
    private static final float BM25_B = LuceneHybridIndex.DEFAULT_BM25_B;

    /** Row count and mean distinct words per row, the corpus figures of BM25. */
    record CorpusStats(long rows, double avgLength) {}

    /**
     * {@link CorpusStats}, read again at most every {@link #TTL_NANOS} and whenever this instance wrote since (a
     * full scan: on a large table worth keeping, and other writers' changes move the mean slowly).
     */
    private final class StatsCache {
        private static final long TTL_NANOS = 60_000_000_000L;
        /** Rows from which the mean length is taken from a sample. */
        private static final long SAMPLED_FROM = 200_000;

        private static final long SAMPLED_ROWS = 20_000;
        private volatile CorpusStats value;
        private volatile long readAt;
        private volatile boolean stale = true;

        CorpusStats current(Connection c) throws SQLException {
            CorpusStats v = value;
            if (v != null && !stale && System.nanoTime() - readAt < TTL_NANOS) {
                return v;
            }
            stale = false;
            long rows;
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table);
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                rows = rs.getLong(1);
            }
            Double mean = null;
            if (rows >= SAMPLED_FROM) {
                // A large table's mean length from a sample of its pages (the same pages while the table stays as it
                // is, so the same search ranks the same): the whole table's took 2.3 s at a million rows, 20,000
                // sampled rows 0.09 s, within 0.3 % of it.
                try (PreparedStatement ps = c.prepareStatement("SELECT avg(length(tsv)) FROM " + table
                                + " TABLESAMPLE SYSTEM ("
                                + String.format(Locale.ROOT, "%.4f", 100.0 * SAMPLED_ROWS / rows)
                                + ") REPEATABLE (0)");
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    double sampled = rs.getDouble(1);
                    mean = rs.wasNull() ? null : sampled;
                }
            }
            if (mean == null) {
                try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(avg(length(tsv)), 0) FROM " + table);
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    mean = rs.getDouble(1);
                }
            }
            v = new CorpusStats(rows, mean);
            value = v;
            readAt = System.nanoTime();
            return v;
        }

        void invalidate() {
            stale = true;
        }
    }

    private final StatsCache stats = new StatsCache();

    private List<SearchHit> vector(Connection c, String column, float[] vector, SearchFilter filter, int n)
            throws SQLException {
        List<Object> params = new ArrayList<>();
        params.add(literal(vector));
        String distance = column + " " + distanceOperator() + " ?::" + storage.sqlType();
        String present = column.equals("embedding") ? "" : column + " IS NOT NULL";
        String filters = where(filter, params, present.isEmpty() ? " WHERE " : " WHERE " + present + " AND ");
        if (filters.isEmpty() && !present.isEmpty()) {
            filters = " WHERE " + present;
        }
        String sql = "SELECT " + COLUMNS + ", " + distance + " AS score FROM " + table + filters + " ORDER BY "
                + distance + " LIMIT " + n;
        params.add(literal(vector));
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            // SET LOCAL lasts for this transaction only. Iterative scans keep a filtered search from running dry.
            st.execute("SET LOCAL hnsw.ef_search = " + Math.min(1000, Math.max(n, efSearch)));
            if (iterativeScan) {
                st.execute("SET LOCAL hnsw.iterative_scan = relaxed_order");
            }
            List<SearchHit> hits;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, params);
                hits = read(ps, true);
            }
            c.commit();
            List<SearchHit> sorted = new ArrayList<>(hits);
            // relaxed_order may return near-sorted results; the contract wants exact order with id tie-break.
            sorted.sort((a, b) -> HybridFusion.ORDER.compare(
                    new HybridFusion.Scored(a.chunkId(), a.score()), new HybridFusion.Scored(b.chunkId(), b.score())));
            return sorted;
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private String where(SearchFilter filter, List<Object> params, String keyword) {
        List<String> clauses = new ArrayList<>();
        if (filter.documentId() != null && !filter.documentId().isEmpty()) {
            clauses.add("document_id = ?");
            params.add(filter.documentId());
        }
        if (filter.mediaType() != null && !filter.mediaType().isEmpty()) {
            clauses.add("media_type = ?");
            params.add(filter.mediaType());
        }
        if (!filter.metadata().isEmpty()) {
            clauses.add("metadata @> ?::jsonb");
            params.add(json(filter.metadata()));
        }
        return clauses.isEmpty() ? "" : keyword + String.join(" AND ", clauses);
    }

    private List<SearchHit> read(PreparedStatement ps, boolean distances) throws SQLException {
        List<SearchHit> hits = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                double raw = rs.getDouble("score");
                double score = distances ? score(raw) : raw;
                Double bx = (Double) rs.getObject("bbox_x");
                BoundingBox box = bx == null
                        ? null
                        : new BoundingBox(bx, rs.getDouble("bbox_y"), rs.getDouble("bbox_w"), rs.getDouble("bbox_h"));
                Locator locator = new Locator(
                        (Integer) rs.getObject("page"),
                        (Integer) rs.getObject("char_start"),
                        (Integer) rs.getObject("char_end"),
                        box,
                        (Long) rs.getObject("start_ms"),
                        (Long) rs.getObject("end_ms"),
                        rs.getString("sheet"));
                hits.add(new SearchHit(
                        rs.getString("chunk_id"),
                        rs.getString("document_id"),
                        rs.getString("filename"),
                        rs.getString("media_type"),
                        rs.getString("text"),
                        score,
                        locator,
                        parseJson(rs.getString("metadata"))));
            }
        }
        return hits;
    }

    // ---- plumbing ---------------------------------------------------------------------------------------

    private long update(String sql, String param) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("write " + table, e);
        }
    }

    private long queryLong(String sql, Object... params) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, List.of(params));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw failure("count " + table, e);
        }
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
    }

    private static void setInt(PreparedStatement ps, int index, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, java.sql.Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }

    private void checkVector(float[] vector, String what) {
        VectorChecks.check(vector, dimensions, similarity, what, "table " + table);
    }

    private void checkNativeVector(float[] vector, String what) {
        if (nativeDimensions == 0) {
            throw new IndexException.NonRetriable(
                    what + " given, but table " + table + " has no native vector column (nativeDimensions=0)");
        }
        VectorChecks.check(vector, nativeDimensions, similarity, what, "the native vector column of table " + table);
    }

    private static void setDouble(PreparedStatement ps, int index, Double value) throws SQLException {
        if (value == null) {
            ps.setNull(index, java.sql.Types.DOUBLE);
        } else {
            ps.setDouble(index, value);
        }
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, java.sql.Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    private static String literal(float[] v) {
        StringBuilder sb = new StringBuilder(v.length * 10).append('[');
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(v[i]);
        }
        return sb.append(']').toString();
    }

    /** PostgreSQL text cannot hold NUL characters; extracted text occasionally has them. */
    private static String stripNul(String s) {
        return s.indexOf('\0') >= 0 ? s.replace("\0", "") : s;
    }

    static String json(Map<String, String> map) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            quote(sb, e.getKey());
            sb.append(':');
            quote(sb, e.getValue());
        }
        return sb.append('}').toString();
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\0' -> {}
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** Reads the flat string-to-string JSON objects this class writes. */
    static Map<String, String> parseJson(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        if (json == null) {
            return out;
        }
        int[] pos = {json.indexOf('{') + 1};
        while (true) {
            skipSpace(json, pos);
            if (pos[0] >= json.length() || json.charAt(pos[0]) == '}') {
                return out;
            }
            String key = readString(json, pos);
            skipSpace(json, pos);
            pos[0]++; // ':'
            skipSpace(json, pos);
            String value = readString(json, pos);
            out.put(key, value);
            skipSpace(json, pos);
            if (pos[0] < json.length() && json.charAt(pos[0]) == ',') {
                pos[0]++;
            }
        }
    }

    private static void skipSpace(String s, int[] pos) {
        while (pos[0] < s.length() && Character.isWhitespace(s.charAt(pos[0]))) {
            pos[0]++;
        }
    }

    private static String readString(String s, int[] pos) {
        StringBuilder sb = new StringBuilder();
        pos[0]++; // opening quote
        while (pos[0] < s.length()) {
            char ch = s.charAt(pos[0]++);
            if (ch == '"') {
                break;
            }
            if (ch == '\\') {
                char esc = s.charAt(pos[0]++);
                switch (esc) {
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(s.substring(pos[0], pos[0] + 4), 16));
                        pos[0] += 4;
                    }
                    default -> sb.append(esc);
                }
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    private IndexException failure(String action, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = "pgvector index: cannot " + action + ": " + e.getMessage();
        // Connection trouble, serialization failures, lack of resources, shutdowns: worth retrying.
        if (state.startsWith("08")
                || state.startsWith("40")
                || state.startsWith("53")
                || state.startsWith("57")
                || state.isEmpty()) {
            return new IndexException.Retriable(message, e);
        }
        return new IndexException.NonRetriable(message, e);
    }

    /** Builds a {@link PgVectorIndex}; creates its table and indexes if they do not exist. */
    public static final class Builder {
        private DataSource dataSource;
        private String table;
        private int dimensions;
        private int nativeDimensions;
        private VectorSimilarity similarity = VectorSimilarity.DOT_PRODUCT;
        private VectorStorage storage = VectorStorage.VECTOR;
        private int hnswM = 16;
        private int efConstruction = 64;
        private int efSearch = 100;
        private int hybridCandidates = LuceneHybridIndex.DEFAULT_HYBRID_CANDIDATES;
        private int rrfK = 60;
        private int keywordCandidates = DEFAULT_KEYWORD_CANDIDATES;
        private String textSearchConfig = "english";
        private boolean createExtension = true;

        private Builder() {}

        /** Where the table lives; required. Connections are borrowed per call and returned. */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = dataSource;
            return this;
        }

        /** Table name, lowercase letters, digits and underscores, at most 55 characters; required. */
        public Builder table(String table) {
            this.table = table;
            return this;
        }

        /** Vector dimensions, 1..16000 (pgvector's HNSW limit is 2000 for vector, 4000 for halfvec). */
        public Builder dimensions(int dimensions) {
            this.dimensions = dimensions;
            return this;
        }

        /** Dimensions of the optional native vector column; 0 (default) for none. Same limits as dimensions. */
        public Builder nativeDimensions(int nativeDimensions) {
            this.nativeDimensions = nativeDimensions;
            return this;
        }

        public Builder similarity(VectorSimilarity similarity) {
            this.similarity = similarity;
            return this;
        }

        /** {@code vector} (float32, default) or {@code halfvec} (float16). */
        public Builder storage(VectorStorage storage) {
            this.storage = storage;
            return this;
        }

        /** HNSW {@code m}, 2..100. Default 16. */
        public Builder hnswM(int hnswM) {
            this.hnswM = hnswM;
            return this;
        }

        /** HNSW {@code ef_construction}, 4..1000 and at least 2·m. Default 64. */
        public Builder efConstruction(int efConstruction) {
            this.efConstruction = efConstruction;
            return this;
        }

        /** {@code hnsw.ef_search} per query (at least k), 1..1000. Default 100. */
        public Builder efSearch(int efSearch) {
            this.efSearch = efSearch;
            return this;
        }

        /** Hits each retriever contributes to hybrid fusion, 1..10000. Default 300, as {@link LuceneHybridIndex}. */
        public Builder hybridCandidates(int hybridCandidates) {
            this.hybridCandidates = hybridCandidates;
            return this;
        }

        /** RRF constant, 0..10000. Default 60. */
        public Builder rrfK(int rrfK) {
            this.rrfK = rrfK;
            return this;
        }

        /**
         * Rows the keyword side scores at most before it narrows its candidates to the rows holding the query's rarer
         * words (see {@link PgVectorIndex}'s keyword search), 0 for every row that holds any query word, else
         * 1000..100000000. Default {@value #DEFAULT_KEYWORD_CANDIDATES}.
         */
        public Builder keywordCandidates(int keywordCandidates) {
            this.keywordCandidates = keywordCandidates;
            return this;
        }

        /** PostgreSQL text search configuration (language), e.g. {@code english}, {@code simple}. */
        public Builder textSearchConfig(String textSearchConfig) {
            this.textSearchConfig = textSearchConfig;
            return this;
        }

        /** Run {@code CREATE EXTENSION IF NOT EXISTS vector} first (needs the right privilege). Default true. */
        public Builder createExtension(boolean createExtension) {
            this.createExtension = createExtension;
            return this;
        }

        public PgVectorIndex build() {
            Objects.requireNonNull(dataSource, "dataSource must not be null");
            Objects.requireNonNull(similarity, "similarity must not be null");
            Objects.requireNonNull(storage, "storage must not be null");
            if (table == null || !TABLE.matcher(table).matches()) {
                throw new IllegalArgumentException("table must match " + TABLE.pattern() + "; table=" + table);
            }
            int maxDims = storage == VectorStorage.HALFVEC ? 4000 : 2000;
            if (dimensions < 1 || dimensions > maxDims) {
                throw new IllegalArgumentException("dimensions must be in 1.." + maxDims + " for " + storage.sqlType()
                        + "; dimensions=" + dimensions);
            }
            if (nativeDimensions < 0 || nativeDimensions > maxDims) {
                throw new IllegalArgumentException("nativeDimensions must be in 0.." + maxDims + " for "
                        + storage.sqlType() + "; nativeDimensions=" + nativeDimensions);
            }
            if (hnswM < 2 || hnswM > 100) {
                throw new IllegalArgumentException("hnswM must be in 2..100; hnswM=" + hnswM);
            }
            if (efConstruction < 4 || efConstruction > 1000 || efConstruction < 2 * hnswM) {
                throw new IllegalArgumentException("efConstruction must be in 4..1000 and at least 2*hnswM ("
                        + 2 * hnswM + "); efConstruction=" + efConstruction);
            }
            if (efSearch < 1 || efSearch > 1000) {
                throw new IllegalArgumentException("efSearch must be in 1..1000; efSearch=" + efSearch);
            }
            if (hybridCandidates < 1 || hybridCandidates > 10_000) {
                throw new IllegalArgumentException(
                        "hybridCandidates must be in 1..10000; hybridCandidates=" + hybridCandidates);
            }
            if (rrfK < 0 || rrfK > 10_000) {
                throw new IllegalArgumentException("rrfK must be in 0..10000; rrfK=" + rrfK);
            }
            if (keywordCandidates != 0 && (keywordCandidates < 1000 || keywordCandidates > 100_000_000)) {
                throw new IllegalArgumentException(
                        "keywordCandidates must be 0 or in 1000..100000000; keywordCandidates=" + keywordCandidates);
            }
            if (textSearchConfig == null || !TS_CONFIG.matcher(textSearchConfig).matches()) {
                throw new IllegalArgumentException("textSearchConfig must be a text search configuration name such as "
                        + "english; textSearchConfig=" + textSearchConfig);
            }
            return new PgVectorIndex(this);
        }
    }
}
