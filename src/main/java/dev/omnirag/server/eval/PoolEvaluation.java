package dev.omnirag.server.eval;

import dev.omnirag.embeddings.Embedder;
import dev.omnirag.embeddings.OnnxTextEmbedder;
import dev.omnirag.index.Fusion;
import dev.omnirag.index.IndexedChunk;
import dev.omnirag.index.Locator;
import dev.omnirag.index.LuceneHybridIndex;
import dev.omnirag.index.PgVectorIndex;
import dev.omnirag.index.QueryExpansion;
import dev.omnirag.index.SearchFilter;
import dev.omnirag.index.SearchHit;
import dev.omnirag.index.SearchMode;
import dev.omnirag.index.SearchRequest;
import dev.omnirag.index.VectorFeedback;
import dev.omnirag.index.VectorIndex;
import dev.omnirag.index.VectorSimilarity;
import dev.omnirag.reranker.LateInteractionReranker;
import dev.omnirag.reranker.RerankRequest;
import dev.omnirag.reranker.Reranker;
import dev.omnirag.server.ingest.ChunkPlanner;
import dev.omnirag.server.ingest.Chunker;
import dev.omnirag.server.search.SearchProfile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Retrieval quality on a pool of judged collections, through the server's own parts: the ingestion chunker (300
 * tokens, 50 overlap), bge-small-en-v1.5 int8, and the index with its default settings. Each collection is indexed
 * once; every mode runs every judged query; chunk hits become a document ranking (each document at the rank of its
 * best chunk, as the server cites). Prints one table per collection with the reference rows of
 * {@code ../shared/README.md} beside ours, then nDCG@10 of every mode on each collection and their mean.
 *
 * <p>Run: {@code deploy/omnirag eval} (Cranfield, CACM and NPL from {@code ../shared/corpora}), or
 * {@code deploy/omnirag eval --collection DIR --format cranfield|smart|trec} for another judged collection
 * ({@link TestCollection} describes the formats), {@code --modes keyword,hybrid} for some modes only,
 * {@code --backend pgvector [--jdbc URL]} for the pgvector backend ({@link PgVectorBackend}), {@code --candidates N}
 * for another fusion depth, {@code --vector-cache DIR} to keep chunk vectors between runs, {@code --as-web-pages
 * semantic|divs} to read every document as a page of a web site through the server's parser ({@link WebPages}),
 * {@code --as-emails} as an e-mail message ({@link Emails}).
 * Progress goes to stderr.
 *
 * <p>Long because it is a whole command-line tool: three collections, every mode, the vector cache and the report.
 */
public final class PoolEvaluation {

    /**
     * One way of searching, as a request's options would choose it: the retriever(s), the fusion and its vector
     * weight, query expansion on the keyword side, and vector feedback ({@link VectorFeedback}, 3 hits, 0.5).
     */
    record Mode(
            String name,
            SearchMode mode,
            Fusion fusion,
            double vectorWeight,
            QueryExpansion expansion,
            boolean vectorFeedback,
            boolean localRerank,
            boolean qualityProfile,
            double companionShare) {
        Mode(String name, SearchMode mode, Fusion fusion) {
            this(name, mode, fusion, 0.5, QueryExpansion.NONE, false, false);
        }

        Mode(
                String name,
                SearchMode mode,
                Fusion fusion,
                double vectorWeight,
                QueryExpansion expansion,
                boolean vectorFeedback) {
            this(name, mode, fusion, vectorWeight, expansion, vectorFeedback, false);
        }

        Mode(
                String name,
                SearchMode mode,
                Fusion fusion,
                double vectorWeight,
                QueryExpansion expansion,
                boolean vectorFeedback,
                boolean localRerank) {
            this(name, mode, fusion, vectorWeight, expansion, vectorFeedback, localRerank, false, 0);
        }

        /** Whether the mode searches the companion list. */
        boolean companion() {
            return companionShare > 0;
        }

        /**
         * The server's {@code quality} profile ({@link SearchProfile#QUALITY}): feedback passages from plain hybrid
         * search (min-max, 0.5), a second pass at {@code vectorWeight}, with or without the companion list.
         */
        static Mode quality(String name, double vectorWeight, double companionShare) {
            return new Mode(
                    name,
                    SearchMode.HYBRID,
                    Fusion.WEIGHTED,
                    vectorWeight,
                    QueryExpansion.NONE,
                    true,
                    false,
                    true,
                    companionShare);
        }
    }

    /** The quality profile's defaults, as the server reads them ({@code omnirag.search.*}). */
    static final double QUALITY_VECTOR_WEIGHT = Double.parseDouble(SearchProfile.QUALITY_VECTOR_WEIGHT);

    static final double COMPANION_SHARE = Double.parseDouble(SearchProfile.COMPANION_SHARE);
    /** The first pass of the quality profile: plain hybrid at the server's default vector weight. */
    static final double FAST_VECTOR_WEIGHT = 0.5;

    static final List<Mode> MODES = List.of(
            new Mode("keyword", SearchMode.KEYWORD, Fusion.RRF),
            new Mode("keyword-rm3", SearchMode.KEYWORD, Fusion.RRF, 0.5, QueryExpansion.RM3, false),
            new Mode("vector", SearchMode.VECTOR, Fusion.RRF),
            new Mode("vector-feedback", SearchMode.VECTOR, Fusion.RRF, 0.5, QueryExpansion.NONE, true),
            new Mode("hybrid-rrf", SearchMode.HYBRID, Fusion.RRF),
            new Mode("hybrid-minmax", SearchMode.HYBRID, Fusion.WEIGHTED),
            new Mode("hybrid-minmax-rm3", SearchMode.HYBRID, Fusion.WEIGHTED, 0.5, QueryExpansion.RM3, false),
            new Mode("hybrid-minmax-feedback", SearchMode.HYBRID, Fusion.WEIGHTED, 0.5, QueryExpansion.NONE, true),
            new Mode("hybrid-minmax-rm3-feedback", SearchMode.HYBRID, Fusion.WEIGHTED, 0.5, QueryExpansion.RM3, true),
            new Mode("hybrid-minmax+local", SearchMode.HYBRID, Fusion.WEIGHTED, 0.5, QueryExpansion.NONE, false, true),
            new Mode(
                    "hybrid-minmax-feedback+local",
                    SearchMode.HYBRID,
                    Fusion.WEIGHTED,
                    0.5,
                    QueryExpansion.NONE,
                    true,
                    true),
            Mode.quality("quality-no-companion", QUALITY_VECTOR_WEIGHT, 0),
            Mode.quality("quality", QUALITY_VECTOR_WEIGHT, COMPANION_SHARE));

    /** Chunks the local reranker reorders per query: the server's default {@code omnirag.reranker.candidates}. */
    static final int RERANK_CANDIDATES = 30;

    private static final VectorFeedback FEEDBACK = new VectorFeedback(3, 0.5);

    /**
     * Chunk hits asked for per query, and the hits each retriever contributes to hybrid fusion: the server's default
     * {@code omnirag.index.hybrid-candidates} (fusion then sees exactly the lists a 10-hit search of the server
     * fuses), or {@code --candidates N}; 300 is also enough documents for recall@100.
     */
    static int depth = LuceneHybridIndex.DEFAULT_HYBRID_CANDIDATES;

    private PoolEvaluation() {}

    /** {@code --grid}: also hybrid min-max at vector weights 0.3..0.7, with and without RM3 and vector feedback. */
    private static boolean grid;

    /** {@code --quality-grid}: also the quality profile at second-pass vector weights × companion shares. */
    private static boolean qualityGrid;

    /** {@code --backend pgvector}: the database the collections are indexed in; null for Lucene. */
    private static PgVectorBackend pgvector;

    /** {@code --vector-cache DIR}: where chunk vectors are kept between runs; none when null. */
    static Path vectorCache;

    /** BM25 k1 and b of the index; the index's defaults unless {@code --bm25 k1,b}. */
    private static float[] bm25 = {LuceneHybridIndex.DEFAULT_BM25_K1, LuceneHybridIndex.DEFAULT_BM25_B};

    public static void main(String[] args) throws IOException {
        List<TestCollection> pool = new ArrayList<>();
        WebPages.Markup webPages = null;
        boolean emails = false;
        String backend = "lucene";
        String jdbc = null;
        List<String> modeNames = MODES.stream().map(Mode::name).toList();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--collection" -> {
                    Path dir = Path.of(args[++i]);
                    TestCollection.Format format = TestCollection.Format.TREC;
                    if (i + 2 < args.length && args[i + 1].equals("--format")) {
                        format = TestCollection.Format.valueOf(args[i + 2].toUpperCase(Locale.ROOT));
                        i += 2;
                    }
                    pool.add(TestCollection.read(dir, format));
                }
                case "--modes" -> modeNames = List.of(args[++i].split(","));
                case "--grid" -> grid = true;
                case "--quality-grid" -> qualityGrid = true;
                case "--vector-cache" -> vectorCache = Path.of(args[++i]);
                case "--backend" -> backend = args[++i];
                case "--jdbc" -> jdbc = args[++i];
                case "--candidates" -> depth = Integer.parseInt(args[++i]);
                case "--as-web-pages" -> webPages = WebPages.Markup.valueOf(args[++i].toUpperCase(Locale.ROOT));
                case "--as-emails" -> emails = true;
                case "--bm25" -> {
                    String[] kb = args[++i].split(",");
                    bm25 = new float[] {Float.parseFloat(kb[0]), Float.parseFloat(kb[1])};
                }
                default ->
                    throw new IllegalArgumentException(
                            "unknown option " + args[i]
                                    + "; use --collection DIR [--format cranfield|smart|trec], --modes a,b, --bm25 k1,b, --grid, --quality-grid, --vector-cache DIR, --backend lucene|pgvector [--jdbc URL], --candidates N, --as-web-pages semantic|divs, --as-emails");
            }
        }
        List<Mode> modes = new ArrayList<>();
        for (String name : modeNames) {
            modes.add(MODES.stream()
                    .filter(m -> m.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown mode " + name + "; modes: "
                            + MODES.stream().map(Mode::name).toList())));
        }
        if (qualityGrid) {
            for (double w : new double[] {0.5, 0.55, 0.6, 0.65, 0.7}) {
                for (double share : new double[] {0, 0.125, 0.25, 0.375, 0.5}) {
                    modes.add(
                            Mode.quality(String.format(Locale.ROOT, "quality w=%.2f share=%.3f", w, share), w, share));
                }
            }
        }
        if (grid) {
            for (double w : new double[] {0.3, 0.4, 0.5, 0.6, 0.7}) {
                for (QueryExpansion x : QueryExpansion.values()) {
                    for (boolean fb : new boolean[] {false, true}) {
                        modes.add(new Mode(
                                String.format(
                                        Locale.ROOT,
                                        "minmax w=%.1f %s%s",
                                        w,
                                        x.name().toLowerCase(Locale.ROOT),
                                        fb ? " +feedback" : ""),
                                SearchMode.HYBRID,
                                Fusion.WEIGHTED,
                                w,
                                x,
                                fb));
                    }
                }
            }
        }
        if (pool.isEmpty()) {
            Path corpora = CranfieldEvaluation.findShared("corpora");
            pool.add(TestCollection.read(corpora.resolve("cranfield"), TestCollection.Format.CRANFIELD));
            pool.add(TestCollection.read(corpora.resolve("cacm"), TestCollection.Format.SMART));
            pool.add(TestCollection.read(corpora.resolve("npl"), TestCollection.Format.TREC));
        }
        if (webPages != null) {
            List<TestCollection> served = new ArrayList<>();
            for (TestCollection c : pool) {
                served.add(WebPages.of(c, webPages, 42));
            }
            pool = served;
        }
        if (emails) {
            List<TestCollection> served = new ArrayList<>();
            for (TestCollection c : pool) {
                served.add(Emails.of(c, 42));
            }
            pool = served;
        }
        if (backend.equals("pgvector")) {
            if (modes.removeIf(Mode::companion)) {
                System.err.println("[eval] modes with the companion embedder left out: it needs the Lucene backend");
            }
            pgvector = PgVectorBackend.open(jdbc);
        } else if (!backend.equals("lucene")) {
            throw new IllegalArgumentException("--backend must be lucene or pgvector; --backend " + backend);
        }
        Map<String, Map<String, double[]>> references = References.read();
        Map<String, Map<String, Double>> ndcg = new LinkedHashMap<>();
        long start = System.nanoTime();
        try (OnnxTextEmbedder embedder = OnnxTextEmbedder.bgeSmallEnV15();
                OnnxTextEmbedder companion =
                        modes.stream().anyMatch(Mode::companion) ? OnnxTextEmbedder.e5SmallV2() : null) {
            for (TestCollection collection : pool) {
                ndcg.put(
                        collection.name(),
                        evaluate(collection, embedder, companion, modes, references.get(collection.name())));
            }
        }
        if (pgvector != null) {
            pgvector.close();
        }
        printMean(ndcg, modes, references);
        System.err.printf(Locale.ROOT, "[eval] done in %.1f min%n", (System.nanoTime() - start) / 6e10);
    }

    /** Indexes one collection, runs every mode, prints its table; returns nDCG@10 per mode. */
    static Map<String, Double> evaluate(
            TestCollection collection,
            OnnxTextEmbedder embedder,
            OnnxTextEmbedder companion,
            List<Mode> modes,
            Map<String, double[]> references)
            throws IOException {
        Path dir = Files.createTempDirectory("omnirag-eval-" + collection.name() + "-");
        Map<String, Double> out = new LinkedHashMap<>();
        try (VectorIndex index = openIndex(collection, embedder, companion, dir)) {
            // Keyword-only runs (a BM25 sweep) need no vectors: a constant one is indexed instead of embedding.
            boolean embed = modes.stream().anyMatch(m -> m.mode() != SearchMode.KEYWORD);
            int chunks = index(collection, embedder, companion, index, embed);
            Map<String, String> queries = collection.judgedQueries();
            Map<String, float[]> vectors = new LinkedHashMap<>();
            Map<String, float[]> companionVectors = new LinkedHashMap<>();
            queries.forEach((id, text) -> vectors.put(id, embed ? embedder.embedQuery(text) : null));
            if (companion != null) {
                queries.forEach((id, text) -> companionVectors.put(id, companion.embedQuery(text)));
            }
            System.out.printf(
                    Locale.ROOT,
                    "%n== %s: %d documents as %d chunks, %d queries (%d judged)%n",
                    collection.name(),
                    collection.documents().size(),
                    chunks,
                    collection.queries().size(),
                    queries.size());
            System.out.printf("%-34s %9s %11s %8s %9s%n", "mode", "nDCG@10", "recall@100", "MRR@10", "ms/query");
            // Feedback passages recur across modes: embedded once per collection (the first feedback mode's ms/query
            // includes their embedding, later ones mostly do not).
            Embedder passages = new CachingEmbedder(embedder);
            Embedder companionPassages = companion == null ? null : new CachingEmbedder(companion);
            Reranker local = LateInteractionReranker.builder()
                    .embedder(new CachingEmbedder(embedder))
                    .build();
            for (Mode mode : modes) {
                Scores scores = new Scores();
                long t0 = System.nanoTime();
                for (var q : queries.entrySet()) {
                    List<SearchHit> hits = search(
                            index,
                            mode,
                            q.getValue(),
                            vectors.get(q.getKey()),
                            passages,
                            companionVectors.get(q.getKey()),
                            companionPassages,
                            depth);
                    if (mode.localRerank()) {
                        hits = rerank(local, q.getValue(), hits);
                    }
                    scores.add(
                            CranfieldEvaluation.documents(hits),
                            collection.judgements().get(q.getKey()));
                }
                scores.print(mode.name(), (System.nanoTime() - t0) / 1e6 / queries.size());
                out.put(mode.name(), scores.ndcg());
            }
            latency(index, embedder, companion, queries);
            if (references != null) {
                System.out.println("reference (../shared/README.md, whole documents):");
                references.forEach((run, v) ->
                        System.out.printf(Locale.ROOT, "  %-32s %9.3f %11.3f %8.3f%n", run, v[0], v[1], v[2]));
            }
        } finally {
            if (pgvector != null) {
                pgvector.dropTable("eval_" + collection.name().replaceAll("[^a-z0-9_]", "_"));
            }
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
        return out;
    }

    /** The collection's index on the chosen backend: Lucene under {@code dir}, or a pgvector table. */
    private static VectorIndex openIndex(
            TestCollection collection, OnnxTextEmbedder embedder, OnnxTextEmbedder companion, Path dir) {
        if (pgvector == null) {
            return LuceneHybridIndex.builder()
                    .path(dir)
                    .dimensions(embedder.dimensions())
                    .companionDimensions(companion == null ? 0 : companion.dimensions())
                    .similarity(VectorSimilarity.DOT_PRODUCT)
                    .bm25(bm25[0], bm25[1])
                    .hybridCandidates(depth)
                    .build();
        }
        String table = "eval_" + collection.name().replaceAll("[^a-z0-9_]", "_");
        pgvector.dropTable(table);
        return PgVectorIndex.builder()
                .dataSource(pgvector.dataSource())
                .table(table)
                .dimensions(embedder.dimensions())
                .similarity(VectorSimilarity.DOT_PRODUCT)
                .hybridCandidates(depth)
                .build();
    }

    static List<SearchHit> search(VectorIndex index, Mode mode, String text, float[] vector, Embedder embedder) {
        return search(index, mode, text, vector, embedder, null, null, depth);
    }

    /**
     * One query in one mode. The quality profile runs as {@code SearchService} runs it: feedback passages from plain
     * hybrid search, then the second pass at the mode's vector weight, with the companion query when the mode has it.
     */
    static List<SearchHit> search(
            VectorIndex index,
            Mode mode,
            String text,
            float[] vector,
            Embedder embedder,
            float[] companionVector,
            Embedder companion,
            int k) {
        SearchRequest request = new SearchRequest(
                text,
                vector,
                k,
                mode.mode(),
                mode.fusion(),
                mode.vectorWeight(),
                SearchFilter.NONE,
                null,
                mode.expansion());
        if (mode.qualityProfile()) {
            SearchRequest firstPass = new SearchRequest(
                    text, vector, k, SearchMode.HYBRID, Fusion.WEIGHTED, FAST_VECTOR_WEIGHT, SearchFilter.NONE);
            if (mode.companion()) {
                request =
                        request.withCompanion(new SearchRequest.CompanionQuery(companionVector, mode.companionShare()));
            }
            return FEEDBACK.search(
                    index,
                    firstPass,
                    request,
                    embedder::embedDocuments,
                    mode.companion() ? companion::embedDocuments : null);
        }
        return mode.vectorFeedback()
                ? FEEDBACK.search(index, request, embedder::embedDocuments)
                : index.search(request);
    }

    /**
     * Time per query of the quality profile as the server runs it, from the query text: embed the query, search
     * hybrid (min-max 0.5) for the three feedback hits, embed them (nothing cached), search again for the top 10.
     */
    private static void latency(
            VectorIndex index, OnnxTextEmbedder embedder, OnnxTextEmbedder companion, Map<String, String> queries) {
        Mode quality = MODES.stream()
                .filter(m -> m.name().equals(companion == null ? "quality-no-companion" : "quality"))
                .findFirst()
                .orElseThrow();
        List<Long> micros = new ArrayList<>();
        for (String text : queries.values()) {
            long t0 = System.nanoTime();
            float[] vector = embedder.embedQuery(text);
            float[] companionVector = companion == null ? null : companion.embedQuery(text);
            search(index, quality, text, vector, embedder, companionVector, companion, 10);
            micros.add((System.nanoTime() - t0) / 1000);
        }
        micros.sort(null);
        System.out.printf(
                Locale.ROOT,
                "profile quality, per query from its text (embedding included, nothing cached): "
                        + "p50 %.1f ms, p95 %.1f ms%n",
                micros.get(micros.size() / 2) / 1000.0,
                micros.get((int) Math.min(micros.size() - 1, Math.round(micros.size() * 0.95))) / 1000.0);
    }

    /** The first {@link #RERANK_CANDIDATES} hits reordered by the reranker, the rest after them as they were. */
    static List<SearchHit> rerank(Reranker reranker, String query, List<SearchHit> hits) {
        int head = Math.min(RERANK_CANDIDATES, hits.size());
        List<SearchHit> out = new ArrayList<>(reranker.rerank(new RerankRequest(query, hits.subList(0, head), head))
                .hits());
        out.addAll(hits.subList(head, hits.size()));
        return out;
    }

    /**
     * Chunks and embeds every document as ingestion does; returns the number of chunks. With {@code --vector-cache
     * DIR} the chunk vectors are read from (or written to) a file named after the collection and a hash of the
     * embedder and every chunk's text, so another run over the same chunks skips the embedding.
     */
    static int index(TestCollection collection, OnnxTextEmbedder embedder, VectorIndex index, boolean embed)
            throws IOException {
        return index(collection, embedder, null, index, embed);
    }

    /** As {@link #index(TestCollection, OnnxTextEmbedder, VectorIndex, boolean)}, with companion vectors when given. */
    static int index(
            TestCollection collection,
            OnnxTextEmbedder embedder,
            OnnxTextEmbedder companion,
            VectorIndex index,
            boolean embed)
            throws IOException {
        Chunker chunker = new Chunker(embedder::countTokens, 300, 50);
        long start = System.nanoTime();
        List<String> docIds = new ArrayList<>();
        List<Chunker.Chunk> parts = new ArrayList<>();
        // What the embedder reads of each chunk, as in the server: under its document's title when it lacks it.
        List<Chunker.Chunk> embedded = new ArrayList<>();
        List<Integer> ordinals = new ArrayList<>();
        for (Map.Entry<String, String> doc : collection.documents().entrySet()) {
            List<Chunker.Chunk> chunks = chunker.chunk(1, doc.getValue());
            String title = ChunkPlanner.title(doc.getValue());
            for (int i = 0; i < chunks.size(); i++) {
                Chunker.Chunk c = chunks.get(i);
                docIds.add(doc.getKey());
                parts.add(c);
                embedded.add(new Chunker.Chunk(
                        c.page(), c.charStart(), c.charEnd(), ChunkPlanner.embedded(title, c.text()), c.tokens()));
                ordinals.add(i);
            }
        }
        List<float[]> vectors = embed
                ? vectors(collection.name(), embedder, embedded, start)
                : java.util.Collections.nCopies(parts.size(), constant(embedder.dimensions()));
        List<float[]> companionVectors = embed && companion != null && pgvector == null
                ? vectors(collection.name(), companion, embedded, System.nanoTime())
                : null;
        List<IndexedChunk> batch = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Chunker.Chunk c = parts.get(i);
            String doc = docIds.get(i);
            batch.add(new IndexedChunk(
                    doc + ":" + ordinals.get(i),
                    doc,
                    collection.name() + "-" + doc,
                    "text/plain",
                    c.text(),
                    vectors.get(i),
                    new Locator(null, c.charStart(), c.charEnd()),
                    Map.of(),
                    null,
                    companionVectors == null ? null : companionVectors.get(i)));
            if (batch.size() >= 256) {
                index.upsert(batch);
                batch.clear();
            }
        }
        index.upsert(batch);
        index.commit();
        System.err.printf(
                Locale.ROOT,
                "[eval] %s: %d documents as %d chunks in %.1f s%n",
                collection.name(),
                collection.documents().size(),
                parts.size(),
                (System.nanoTime() - start) / 1e9);
        return parts.size();
    }

    private static float[] constant(int dimensions) {
        float[] v = new float[dimensions];
        v[0] = 1;
        return v;
    }

    /** The chunks' vectors: from the cache when it has them, else embedded (with progress) and cached. */
    static List<float[]> vectors(String collection, OnnxTextEmbedder embedder, List<Chunker.Chunk> parts, long start)
            throws IOException {
        Path file = null;
        if (vectorCache != null) {
            MessageDigest sha;
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            sha.update((embedder.toString() + "\n" + embedder.dimensions()).getBytes(StandardCharsets.UTF_8));
            for (Chunker.Chunk c : parts) {
                sha.update(c.text().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            file = vectorCache.resolve(collection + "-" + HexFormat.of().formatHex(sha.digest(), 0, 8) + ".f32");
            if (Files.exists(file)) {
                FloatBuffer floats = ByteBuffer.wrap(Files.readAllBytes(file)).asFloatBuffer();
                List<float[]> out = new ArrayList<>(parts.size());
                for (int i = 0; i < parts.size(); i++) {
                    float[] v = new float[embedder.dimensions()];
                    floats.get(v);
                    out.add(v);
                }
                System.err.printf("[eval] %s: %d chunk vectors read from %s%n", collection, parts.size(), file);
                return out;
            }
        }
        List<float[]> out = new ArrayList<>(parts.size());
        for (int from = 0; from < parts.size(); from += 64) {
            List<Chunker.Chunk> slice = parts.subList(from, Math.min(parts.size(), from + 64));
            out.addAll(embedder.embedDocuments(
                    slice.stream().map(Chunker.Chunk::text).toList()));
            if ((from / 64) % 20 == 19) {
                System.err.printf(
                        Locale.ROOT,
                        "[eval] %s: embedded %d/%d chunks (%.1f chunks/s)%n",
                        collection,
                        out.size(),
                        parts.size(),
                        out.size() / ((System.nanoTime() - start) / 1e9));
            }
        }
        if (file != null) {
            Files.createDirectories(vectorCache);
            ByteBuffer bytes = ByteBuffer.allocate(out.size() * embedder.dimensions() * Float.BYTES);
            FloatBuffer floats = bytes.asFloatBuffer();
            out.forEach(floats::put);
            Path tmp = Files.createTempFile(vectorCache, collection, ".tmp");
            Files.write(tmp, bytes.array());
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        }
        return out;
    }

    private static void printMean(
            Map<String, Map<String, Double>> ndcg, List<Mode> modes, Map<String, Map<String, double[]>> references) {
        System.out.printf("%n== nDCG@10 on each collection and the mean%n");
        StringBuilder head = new StringBuilder(String.format("%-34s", "mode"));
        ndcg.keySet().forEach(c -> head.append(String.format(" %9s", c)));
        System.out.println(head.append(String.format(" %9s", "mean")));
        for (Mode mode : modes) {
            StringBuilder row = new StringBuilder(String.format("%-34s", mode.name()));
            double sum = 0;
            for (Map<String, Double> byMode : ndcg.values()) {
                double v = byMode.get(mode.name());
                sum += v;
                row.append(String.format(Locale.ROOT, " %9.3f", v));
            }
            System.out.println(row.append(String.format(Locale.ROOT, " %9.3f", sum / ndcg.size())));
        }
        if (ndcg.keySet().stream().allMatch(references::containsKey)) {
            System.out.println("reference (../shared/README.md):");
            for (String run : references.values().iterator().next().keySet()) {
                StringBuilder row = new StringBuilder(String.format("  %-32s", run));
                double sum = 0;
                for (String c : ndcg.keySet()) {
                    double v = references.get(c).get(run)[0];
                    sum += v;
                    row.append(String.format(Locale.ROOT, " %9.3f", v));
                }
                System.out.println(row.append(String.format(Locale.ROOT, " %9.3f", sum / ndcg.size())));
            }
        }
    }

    /** Sums of the three measures over queries. */
    static final class Scores {
        private double ndcg;
        private double recall;
        private double mrr;
        private int n;

        void add(List<String> ranking, Map<String, Integer> judged) {
            ndcg += RetrievalMetrics.ndcg(ranking, judged, 10);
            recall += RetrievalMetrics.recall(ranking, judged, 100);
            mrr += RetrievalMetrics.reciprocalRank(ranking, judged, 10);
            n++;
        }

        double ndcg() {
            return ndcg / n;
        }

        void print(String name, double msPerQuery) {
            System.out.printf(
                    Locale.ROOT, "%-34s %9.3f %11.3f %8.3f %9.1f%n", name, ndcg / n, recall / n, mrr / n, msPerQuery);
        }
    }

    /** The reference figures of {@code ../shared/README.md}: collection → run → {nDCG@10, recall@100, MRR@10}. */
    static final class References {

        private References() {}

        static Map<String, Map<String, double[]>> read() {
            Map<String, Map<String, double[]>> out = new LinkedHashMap<>();
            Path readme;
            try {
                readme = CranfieldEvaluation.findShared("corpora").getParent().resolve("README.md");
            } catch (IllegalArgumentException e) {
                return out;
            }
            List<String> columns = null;
            try {
                for (String line : Files.readAllLines(readme)) {
                    if (!line.startsWith("|")) {
                        columns = null;
                        continue;
                    }
                    String[] cells = line.split("\\|");
                    if (cells.length > 2 && cells[1].strip().equals("run")) {
                        columns = new ArrayList<>();
                        for (int i = 2; i < cells.length; i++) {
                            columns.add(cells[i].strip().split("\\s+")[0].toLowerCase(Locale.ROOT));
                        }
                        continue;
                    }
                    if (columns == null || cells.length < 3 || cells[1].strip().startsWith("---")) {
                        continue;
                    }
                    for (int i = 2; i < cells.length && i - 2 < columns.size(); i++) {
                        String[] v = cells[i].split("/");
                        if (v.length == 3) {
                            out.computeIfAbsent(columns.get(i - 2), k -> new LinkedHashMap<>())
                                    .put(cells[1].strip(), new double[] {
                                        Double.parseDouble(v[0].strip()),
                                        Double.parseDouble(v[1].strip()),
                                        Double.parseDouble(v[2].strip())
                                    });
                        }
                    }
                }
            } catch (IOException | NumberFormatException e) {
                System.err.println("[eval] cannot read the reference figures in " + readme + ": " + e.getMessage());
            }
            return out;
        }
    }
}
