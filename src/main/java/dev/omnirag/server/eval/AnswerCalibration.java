package dev.omnirag.server.eval;

import dev.omnirag.embeddings.OnnxTextEmbedder;
import dev.omnirag.generator.ExtractiveGenerator;
import dev.omnirag.generator.GenerationRequest;
import dev.omnirag.generator.Source;
import dev.omnirag.index.Fusion;
import dev.omnirag.index.LuceneHybridIndex;
import dev.omnirag.index.SearchFilter;
import dev.omnirag.index.SearchHit;
import dev.omnirag.index.SearchMode;
import dev.omnirag.index.SearchRequest;
import dev.omnirag.index.VectorSimilarity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Calibrates the extractive generator's answer threshold ({@link ExtractiveGenerator#DEFAULT_ANSWER_SCORE}) on the
 * judged queries of the evaluation pool (Cranfield, CACM, NPL). Each question is asked as the server asks it:
 * hybrid search (the default weighted fusion) for the top 5 chunks, then {@link ExtractiveGenerator#evidence} on
 * them. Each collection is asked its own judged queries and, as questions its documents cannot answer (a tax
 * question put to a collection of papers), the first {@value #FOREIGN} judged queries of each other collection.
 * <ul>
 *   <li>a question is <b>answered</b> at threshold t when its best sentence's relevance reaches t;</li>
 *   <li>an answer is <b>right</b> when that sentence lies in a document judged relevant to its own query (never for
 *       a foreign question);</li>
 *   <li>precision = right answers / answers; recall = right answers / questions whose best sentence at the floor
 *       ({@code minScore}) is right (what any threshold could answer rightly).</li>
 * </ul>
 * The threshold with the best mean F1 over the three collections is printed as the choice, with
 * leave-one-collection-out (choose on two, report the third).
 *
 * <p>Run: {@code deploy/omnirag calibrate-answers [--vector-cache DIR]}.
 */
public final class AnswerCalibration {

    private static final int SOURCES = 5;
    /** Questions of each other collection asked of a collection, as ones it cannot answer. */
    static final int FOREIGN = 30;

    private AnswerCalibration() {}

    /** One question's evidence: the best sentence's relevance (0 under the floor) and whether it is right. */
    record Outcome(double relevance, boolean right) {}

    public static void main(String[] args) throws IOException {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--vector-cache")) {
                PoolEvaluation.vectorCache = Path.of(args[++i]);
            } else {
                throw new IllegalArgumentException("unknown option " + args[i] + "; usage: [--vector-cache DIR]");
            }
        }
        Path corpora = CranfieldEvaluation.findShared("corpora");
        List<TestCollection> pool = List.of(
                TestCollection.read(corpora.resolve("cranfield"), TestCollection.Format.CRANFIELD),
                TestCollection.read(corpora.resolve("cacm"), TestCollection.Format.SMART),
                TestCollection.read(corpora.resolve("npl"), TestCollection.Format.TREC));
        Map<String, List<Outcome>> outcomes = new LinkedHashMap<>();
        try (OnnxTextEmbedder embedder = OnnxTextEmbedder.bgeSmallEnV15()) {
            ExtractiveGenerator generator =
                    ExtractiveGenerator.builder().embedder(embedder).build();
            for (TestCollection c : pool) {
                Map<String, String> foreign = new LinkedHashMap<>();
                for (TestCollection other : pool) {
                    if (other != c) {
                        other.judgedQueries().entrySet().stream()
                                .limit(FOREIGN)
                                .forEach(e -> foreign.put(other.name() + ":" + e.getKey(), e.getValue()));
                    }
                }
                outcomes.put(c.name(), outcomes(c, foreign, embedder, generator));
            }
        }
        List<Double> thresholds = new ArrayList<>();
        for (int t = 40; t <= 80; t += 2) {
            thresholds.add(t / 100.0);
        }
        System.out.printf(Locale.ROOT, "%n%-9s", "threshold");
        outcomes.keySet().forEach(name -> System.out.printf(Locale.ROOT, " | %-23s", name + " P / R / F1"));
        System.out.printf(Locale.ROOT, " | %s%n", "mean F1");
        Map<Double, Map<String, Double>> f1 = new LinkedHashMap<>();
        for (double t : thresholds) {
            System.out.printf(Locale.ROOT, "%-9.2f", t);
            Map<String, Double> row = new LinkedHashMap<>();
            for (var e : outcomes.entrySet()) {
                double[] prf = prf(e.getValue(), t);
                row.put(e.getKey(), prf[2]);
                System.out.printf(Locale.ROOT, " | %.3f / %.3f / %.3f     ", prf[0], prf[1], prf[2]);
            }
            f1.put(t, row);
            System.out.printf(
                    Locale.ROOT,
                    " | %.3f%n",
                    row.values().stream()
                            .mapToDouble(Double::doubleValue)
                            .average()
                            .orElse(0));
        }
        double chosen = best(f1, null);
        System.out.printf(
                Locale.ROOT,
                "chosen by mean F1: %.2f (default in ExtractiveGenerator: %.2f)%n",
                chosen,
                ExtractiveGenerator.DEFAULT_ANSWER_SCORE);
        for (String held : outcomes.keySet()) {
            double t = best(f1, held);
            double[] prf = prf(outcomes.get(held), t);
            System.out.printf(
                    Locale.ROOT,
                    "leave %s out: chosen %.2f on the others -> %s P %.3f R %.3f F1 %.3f%n",
                    held,
                    t,
                    held,
                    prf[0],
                    prf[1],
                    prf[2]);
        }
    }

    private static double best(Map<Double, Map<String, Double>> f1, String without) {
        return f1.entrySet().stream()
                .max(Comparator.comparingDouble(e -> e.getValue().entrySet().stream()
                        .filter(x -> !x.getKey().equals(without))
                        .mapToDouble(Map.Entry::getValue)
                        .average()
                        .orElse(0)))
                .orElseThrow()
                .getKey();
    }

    /** Precision, recall and F1 of answering at threshold t. */
    static double[] prf(List<Outcome> outcomes, double t) {
        int answered = 0;
        int right = 0;
        int rightAtFloor = 0;
        for (Outcome o : outcomes) {
            rightAtFloor += o.right() && o.relevance() > 0 ? 1 : 0;
            if (o.relevance() > 0 && o.relevance() >= t) {
                answered++;
                right += o.right() ? 1 : 0;
            }
        }
        double p = answered == 0 ? 1 : (double) right / answered;
        double r = rightAtFloor == 0 ? 0 : (double) right / rightAtFloor;
        return new double[] {p, r, p + r == 0 ? 0 : 2 * p * r / (p + r)};
    }

    private static List<Outcome> outcomes(
            TestCollection c, Map<String, String> foreign, OnnxTextEmbedder embedder, ExtractiveGenerator generator)
            throws IOException {
        Path dir = Files.createTempDirectory("omnirag-calibrate-" + c.name() + "-");
        List<Outcome> out = new ArrayList<>();
        try (LuceneHybridIndex index = LuceneHybridIndex.builder()
                .path(dir)
                .dimensions(embedder.dimensions())
                .similarity(VectorSimilarity.DOT_PRODUCT)
                .build()) {
            PoolEvaluation.index(c, embedder, index, true);
            long start = System.nanoTime();
            Map<String, String> questions = new LinkedHashMap<>(c.judgedQueries());
            questions.putAll(foreign);
            for (var q : questions.entrySet()) {
                Map<String, Integer> judged = c.judgements().getOrDefault(q.getKey(), Map.of());
                List<SearchHit> hits = index.search(new SearchRequest(
                        q.getValue(),
                        embedder.embedQuery(q.getValue()),
                        SOURCES,
                        SearchMode.HYBRID,
                        Fusion.WEIGHTED,
                        0.5,
                        SearchFilter.NONE));
                List<Source> sources = hits.stream()
                        .map(h -> new Source(h.chunkId(), h.text(), h.documentId()))
                        .toList();
                ExtractiveGenerator.Evidence e = generator.evidence(new GenerationRequest(q.getValue(), sources));
                boolean right = e.sourceIndex() >= 0
                        && judged.getOrDefault(hits.get(e.sourceIndex()).documentId(), 0) > 0;
                out.add(new Outcome(e.relevance(), right));
                if (out.size() % 50 == 0) {
                    System.err.printf(
                            Locale.ROOT,
                            "[calibrate] %s: %d/%d questions (%.1f s)%n",
                            c.name(),
                            out.size(),
                            questions.size(),
                            (System.nanoTime() - start) / 1e9);
                }
            }
        } finally {
            try (var paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return out;
    }
}
