package dev.omnirag.server.eval;

import dev.omnirag.embeddings.Embedder;
import dev.omnirag.embeddings.OnnxTextEmbedder;
import dev.omnirag.index.Fusion;
import dev.omnirag.index.IndexedChunk;
import dev.omnirag.index.Locator;
import dev.omnirag.index.LuceneHybridIndex;
import dev.omnirag.index.SearchFilter;
import dev.omnirag.index.SearchHit;
import dev.omnirag.index.SearchMode;
import dev.omnirag.index.SearchRequest;
import dev.omnirag.index.VectorFeedback;
import dev.omnirag.index.VectorSimilarity;
import dev.omnirag.reranker.LateInteractionReranker;
import dev.omnirag.reranker.RerankRequest;
import dev.omnirag.reranker.Reranker;
import dev.omnirag.server.ingest.Chunker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Measures retrieval quality on the Cranfield collection with the server's own parts: the ingestion chunker
 * (300 tokens, 50 overlap), bge-small-en-v1.5 int8, and the Lucene hybrid index with its default settings.
 *
 * <p>Run: {@code deploy/omnirag eval [--cranfield DIR] [--sweep]}. Prints nDCG@10, recall@100 and MRR@10 per mode,
 * then for the default hybrid mode without reranking ({@code rerank: none}) and with the local reranker
 * ({@code rerank: local}, default settings: the top {@value #RERANK_CANDIDATES} chunks reranked, as the server
 * does), with and without MMR, then the first stages with vector feedback ({@link VectorFeedback}: hybrid RRF,
 * vector, hybrid weighted) and the local reranker on each of them (the best mode: feedback + local). {@code --sweep} adds a grid over the local reranker's settings (how its defaults
 * were chosen; they are tuned on this same collection, so read them as an upper bound).
 * Graded relevance is 5 - grade for Cranfield grades 1..4 (1 = most relevant); queries are numbered by their
 * position in cran.qry (the file's own .I numbers are not 1..225).
 */
public final class CranfieldEvaluation {

    /** One ranking configuration to evaluate. */
    record Run(String name, SearchMode mode, Fusion fusion, double vectorWeight) {}

    /** Chunks the local reranker reorders per query: the server's default {@code omnirag.reranker.candidates}. */
    static final int RERANK_CANDIDATES = 30;

    static final List<Run> RUNS = List.of(
            new Run("keyword (BM25)", SearchMode.KEYWORD, Fusion.RRF, 0.5),
            new Run("vector (HNSW)", SearchMode.VECTOR, Fusion.RRF, 0.5),
            new Run("hybrid (RRF, default)", SearchMode.HYBRID, Fusion.RRF, 0.5),
            new Run("hybrid (weighted 0.5)", SearchMode.HYBRID, Fusion.WEIGHTED, 0.5));

    public static void main(String[] args) throws IOException {
        Path dir = null;
        boolean sweep = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--cranfield") && i + 1 < args.length) {
                dir = Path.of(args[++i]);
            } else if (args[i].equals("--sweep")) {
                sweep = true;
            }
        }
        if (dir == null) {
            dir = findShared("corpora/cranfield");
        }
        Map<String, String> docs = parse(dir.resolve("cran.all.1400"), true);
        List<String> queries =
                new ArrayList<>(parse(dir.resolve("cran.qry"), false).values());
        Map<Integer, Map<String, Integer>> qrels = qrels(dir.resolve("cranqrel"));
        System.out.printf(
                "Cranfield: %d documents, %d queries, %d judged queries (from %s)%n",
                docs.size(), queries.size(), qrels.size(), dir);

        Path indexDir = Files.createTempDirectory("omnirag-cranfield-");
        try (OnnxTextEmbedder embedder = OnnxTextEmbedder.bgeSmallEnV15();
                LuceneHybridIndex index = LuceneHybridIndex.builder()
                        .path(indexDir)
                        .dimensions(embedder.dimensions())
                        .similarity(VectorSimilarity.DOT_PRODUCT)
                        .build()) {
            Chunker chunker = new Chunker(embedder::countTokens, 300, 50);
            long start = System.nanoTime();
            int chunks = 0;
            int done = 0;
            List<IndexedChunk> batch = new ArrayList<>();
            for (Map.Entry<String, String> doc : docs.entrySet()) {
                List<Chunker.Chunk> parts = chunker.chunk(1, doc.getValue());
                List<float[]> vectors = embedder.embedDocuments(
                        parts.stream().map(Chunker.Chunk::text).toList());
                for (int i = 0; i < parts.size(); i++) {
                    Chunker.Chunk c = parts.get(i);
                    batch.add(new IndexedChunk(
                            doc.getKey() + ":" + i,
                            doc.getKey(),
                            "cran-" + doc.getKey(),
                            "text/plain",
                            c.text(),
                            vectors.get(i),
                            new Locator(null, c.charStart(), c.charEnd()),
                            Map.of()));
                }
                chunks += parts.size();
                if (batch.size() >= 200) {
                    index.upsert(batch);
                    batch.clear();
                }
                if (++done % 200 == 0) {
                    System.out.printf(
                            "  indexed %d/%d documents (%.1f docs/s)%n",
                            done, docs.size(), done / ((System.nanoTime() - start) / 1e9));
                }
            }
            index.upsert(batch);
            index.commit();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    "Indexed %d documents as %d chunks in %.1f s (%.1f docs/s)%n%n",
                    docs.size(), chunks, seconds, docs.size() / seconds);

            List<float[]> queryVectors = new ArrayList<>();
            for (String q : queries) {
                queryVectors.add(embedder.embedQuery(q));
            }
            System.out.printf("%-24s %9s %11s %8s%n", "mode", "nDCG@10", "recall@100", "MRR@10");
            Map<Integer, List<SearchHit>> hybridHits = new HashMap<>();
            Map<Integer, List<SearchHit>> weightedHits = new HashMap<>();
            for (Run run : RUNS) {
                Scores scores = new Scores();
                for (int q = 0; q < queries.size(); q++) {
                    Map<String, Integer> judged = judged(qrels, q);
                    if (judged == null) {
                        continue;
                    }
                    List<SearchHit> hits = index.search(new SearchRequest(
                            queries.get(q),
                            queryVectors.get(q),
                            300,
                            run.mode(),
                            run.fusion(),
                            run.vectorWeight(),
                            SearchFilter.NONE));
                    if (run.mode() == SearchMode.HYBRID && run.fusion() == Fusion.RRF) {
                        hybridHits.put(q, hits);
                    } else if (run.mode() == SearchMode.HYBRID) {
                        weightedHits.put(q, hits);
                    }
                    scores.add(documents(hits), judged, q);
                }
                scores.print(run.name());
            }

            // First stage with pseudo-relevance feedback on the query vector (VectorFeedback, defaults).
            VectorFeedback feedback = new VectorFeedback(3, 0.5);
            Embedder passages = new CachingEmbedder(embedder);
            Map<Integer, List<SearchHit>> feedbackHits = new HashMap<>();
            Map<Integer, List<SearchHit>> weightedFeedbackHits = new HashMap<>();
            Map<Integer, List<SearchHit>> vectorFeedbackHits = new HashMap<>();
            System.out.printf("%nWith vector feedback (Rocchio: 3 hits, weight 0.5):%n");
            System.out.printf(
                    "%-34s %9s %11s %8s %9s %9s %9s%n",
                    "first stage", "nDCG@10", "recall@100", "MRR@10", "nDCG odd", "nDCG even", "ms/query");
            // The first run embeds its feedback passages cold; the later ones find many in the cache.
            for (Run run : List.of(
                    new Run("hybrid RRF + feedback (cold)", SearchMode.HYBRID, Fusion.RRF, 0.5),
                    new Run("vector + feedback", SearchMode.VECTOR, Fusion.RRF, 0.5),
                    new Run("hybrid weighted + feedback", SearchMode.HYBRID, Fusion.WEIGHTED, 0.5))) {
                Map<Integer, List<SearchHit>> out = run.mode() == SearchMode.VECTOR
                        ? vectorFeedbackHits
                        : run.fusion() == Fusion.RRF ? feedbackHits : weightedFeedbackHits;
                long t0 = System.nanoTime();
                for (int q = 0; q < queries.size(); q++) {
                    if (judged(qrels, q) != null) {
                        out.put(
                                q,
                                feedback.search(
                                        index,
                                        new SearchRequest(
                                                queries.get(q),
                                                queryVectors.get(q),
                                                300,
                                                run.mode(),
                                                run.fusion(),
                                                run.vectorWeight(),
                                                SearchFilter.NONE),
                                        passages::embedDocuments));
                    }
                }
                double ms = (System.nanoTime() - t0) / 1e6 / out.size();
                Scores sc = new Scores();
                out.forEach((q, hits) -> sc.add(documents(hits), judged(qrels, q), q));
                sc.print(run.name(), ms);
            }

            // Sentence vectors are shared by all reranker configurations (each embeds every sentence once); the
            // first reranked run pays for the embedding, the ms/query of the others is the reranker alone.
            Embedder sentences = new CachingEmbedder(embedder);
            System.out.printf(
                    "%nReranking the top %d chunks of hybrid (RRF) with the local reranker:%n", RERANK_CANDIDATES);
            System.out.printf(
                    "%-34s %9s %11s %8s %9s %9s %9s%n",
                    "rerank", "nDCG@10", "recall@100", "MRR@10", "nDCG odd", "nDCG even", "ms/query");
            evaluateRerank("none", null, RERANK_CANDIDATES, queries, qrels, hybridHits);
            evaluateRerank(
                    "local (default: w=0.5 s=2 fb=3)",
                    local(sentences).build(),
                    RERANK_CANDIDATES,
                    queries,
                    qrels,
                    hybridHits);
            evaluateRerank(
                    "local + MMR (lambda 0.7)",
                    local(sentences).mmrLambda(0.7).build(),
                    RERANK_CANDIDATES,
                    queries,
                    qrels,
                    hybridHits);
            evaluateRerank(
                    "local, MaxSim only (s=1, fb=0)",
                    local(sentences).topSentences(1).feedbackHits(0).build(),
                    RERANK_CANDIDATES,
                    queries,
                    qrels,
                    hybridHits);
            Map<String, Map<Integer, List<SearchHit>>> firstStages = new LinkedHashMap<>();
            firstStages.put("hybrid RRF + vector feedback", feedbackHits);
            firstStages.put("hybrid weighted (fusion: weighted)", weightedHits);
            firstStages.put("hybrid weighted + vector feedback", weightedFeedbackHits);
            for (var stage : firstStages.entrySet()) {
                System.out.printf("%nFirst stage: %s:%n", stage.getKey());
                evaluateRerank("none", null, RERANK_CANDIDATES, queries, qrels, stage.getValue());
                evaluateRerank("local", local(sentences).build(), RERANK_CANDIDATES, queries, qrels, stage.getValue());
            }
            if (sweep) {
                System.out.printf("%nSweep (w: first-stage weight, s: best sentences averaged, fb: feedback hits, "
                        + "N: candidates; odd/even: nDCG@10 of the 1-based odd and even queries):%n");
                for (int n : new int[] {30, 50}) {
                    for (int fb : new int[] {0, 3, 5}) {
                        for (double w : new double[] {0.3, 0.5, 0.7}) {
                            for (int top : new int[] {1, 2}) {
                                evaluateRerank(
                                        String.format(Locale.ROOT, "local w=%.1f s=%d fb=%d N=%d", w, top, fb, n),
                                        local(sentences)
                                                .firstStageWeight(w)
                                                .topSentences(top)
                                                .feedbackHits(fb)
                                                .build(),
                                        n,
                                        queries,
                                        qrels,
                                        hybridHits);
                            }
                        }
                    }
                }
            }
        } finally {
            try (var paths = Files.walk(indexDir)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The local reranker with the server's defaults. */
    private static LateInteractionReranker.Builder local(Embedder embedder) {
        return LateInteractionReranker.builder().embedder(embedder);
    }

    /** The judged documents of 0-based query q, or null when it has no relevant document. */
    private static Map<String, Integer> judged(Map<Integer, Map<String, Integer>> qrels, int q) {
        Map<String, Integer> judged = qrels.get(q + 1);
        return judged == null || judged.values().stream().noneMatch(g -> g > 0) ? null : judged;
    }

    /** Reranks the first {@code candidates} hybrid hits of every query (none: as they are) and prints the scores. */
    private static void evaluateRerank(
            String name,
            Reranker reranker,
            int candidates,
            List<String> queries,
            Map<Integer, Map<String, Integer>> qrels,
            Map<Integer, List<SearchHit>> hybridHits) {
        Scores scores = new Scores();
        long start = System.nanoTime();
        int n = 0;
        for (int q = 0; q < queries.size(); q++) {
            Map<String, Integer> judged = judged(qrels, q);
            if (judged == null) {
                continue;
            }
            List<SearchHit> hits = hybridHits.get(q);
            List<SearchHit> ranked = new ArrayList<>();
            int head = Math.min(candidates, hits.size());
            if (reranker == null) {
                ranked.addAll(hits);
            } else {
                ranked.addAll(reranker.rerank(new RerankRequest(queries.get(q), hits.subList(0, head), head))
                        .hits());
                ranked.addAll(hits.subList(head, hits.size()));
            }
            scores.add(documents(ranked), judged, q);
            n++;
        }
        double ms = (System.nanoTime() - start) / 1e6 / n;
        scores.print(name, ms);
    }

    /** Sums of the three measures over queries, and nDCG@10 over the odd and the even queries apart. */
    private static final class Scores {
        double ndcg;
        double recall;
        double mrr;
        int n;
        final double[] ndcgHalf = new double[2];
        final int[] nHalf = new int[2];

        void add(List<String> ranking, Map<String, Integer> judged, int query) {
            double d = RetrievalMetrics.ndcg(ranking, judged, 10);
            ndcg += d;
            recall += RetrievalMetrics.recall(ranking, judged, 100);
            mrr += RetrievalMetrics.reciprocalRank(ranking, judged, 10);
            n++;
            ndcgHalf[query % 2] += d;
            nHalf[query % 2]++;
        }

        void print(String name) {
            System.out.printf(Locale.ROOT, "%-24s %9.3f %11.3f %8.3f%n", name, ndcg / n, recall / n, mrr / n);
        }

        /** With the halves: 1-based odd queries (0-based even index) and even queries. */
        void print(String name, double msPerQuery) {
            System.out.printf(
                    Locale.ROOT,
                    "%-34s %9.3f %11.3f %8.3f %9.3f %9.3f %9.1f%n",
                    name,
                    ndcg / n,
                    recall / n,
                    mrr / n,
                    ndcgHalf[0] / nHalf[0],
                    ndcgHalf[1] / nHalf[1],
                    msPerQuery);
        }
    }

    /** Chunk hits to a document ranking: each document at the rank of its best chunk. */
    static List<String> documents(List<SearchHit> hits) {
        Set<String> seen = new LinkedHashSet<>();
        for (SearchHit h : hits) {
            seen.add(h.documentId());
        }
        return new ArrayList<>(seen);
    }

    /** Parses cran.all.1400 (title + abstract) or cran.qry (query text), keyed by .I in file order. */
    /** Cranfield's files are SMART records: one parser for both ({@link TestCollection#smart}). */
    static Map<String, String> parse(Path file, boolean withTitle) throws IOException {
        return TestCollection.smart(file, withTitle);
    }

    /** cranqrel: "query doc grade"; grade 1 (most relevant) .. 4, -1 = not relevant. */
    static Map<Integer, Map<String, Integer>> qrels(Path file) throws IOException {
        Map<Integer, Map<String, Integer>> out = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 3) {
                continue;
            }
            int grade = Integer.parseInt(f[2]);
            int gain = grade >= 1 && grade <= 4 ? 5 - grade : 0;
            out.computeIfAbsent(Integer.parseInt(f[0]), k -> new HashMap<>()).put(f[1], gain);
        }
        return out;
    }

    static Path findShared(String relative) {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared").resolve(relative);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("cannot find shared/" + relative + "; pass --cranfield DIR");
    }
}
