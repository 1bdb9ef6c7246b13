package dev.omnirag.reranker;

import dev.omnirag.embeddings.Embedder;
import dev.omnirag.embeddings.EmbeddingException;
import dev.omnirag.embeddings.Vectors;
import dev.omnirag.generator.text.SentenceSplitter;
import dev.omnirag.index.SearchHit;
import dev.omnirag.index.VectorFeedback;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The local reranker: sentence-level late interaction with the text embedder, optionally diversified with MMR.
 * No model server, no extra model.
 *
 * <p>How: every hit is split into sentences (at most {@code maxSentences}; fragments under
 * {@link #MIN_SENTENCE_CHARS} characters join the next sentence), each sentence is embedded as a document and
 * compared with the query embedding; the hit's late-interaction score is the mean of its
 * {@code topSentences} best sentence cosines (1: the best sentence, MaxSim; default 2). A chunk-level vector
 * blurs a passage that is relevant in one sentence and about something else in the rest; the sentence level
 * does not. With {@code feedbackHits > 0} (default 3) the query vector is first moved towards the mean vector of
 * the first-stage top hits (pseudo-relevance feedback, Rocchio in embedding space):
 * {@code q' = normalise(q + feedbackWeight * mean)}. The defaults were chosen on Cranfield
 * (docs/evaluation.md).
 * The final score mixes both stages after min-max normalising each over the candidates:
 * {@code firstStageWeight * first + (1 - firstStageWeight) * late}. When the first-stage scores are all equal (as
 * from {@code /v1/rerank}) the score is the raw late score, a cosine comparable across requests.
 *
 * <p>MMR ({@code mmrLambda < 1}): the order is then built greedily by
 * {@code lambda * score - (1 - lambda) * max similarity to the hits already chosen}, passages compared by the
 * mean of their sentence vectors, so near-duplicate chunks stop crowding the top. Scores reported are the
 * final relevance scores, not the MMR objective.
 *
 * <p>Sentence vectors are cached (least recently used, {@code cacheSize} sentences), so hits seen before cost
 * nothing. Immutable configuration, thread safe (the cache is synchronised); blocking and CPU-bound.
 *
 * <p>Long because sentence-level MaxSim, its vector cache, MMR and the feedback blend are one scoring, with a builder
 * that validates each setting.
 */
public final class LateInteractionReranker implements Reranker {

    /** Shorter sentence fragments (headings, numbers) are joined with the next sentence. */
    public static final int MIN_SENTENCE_CHARS = 25;

    private final Embedder embedder;
    private final double firstStageWeight;
    private final int topSentences;
    private final int maxSentences;
    private final double mmrLambda;
    private final int feedbackHits;
    private final double feedbackWeight;
    private final Map<String, float[]> cache;
    private final Locale locale;
    private final SentenceSplitter splitter;

    private LateInteractionReranker(Builder b) {
        this.embedder = b.embedder;
        this.firstStageWeight = b.firstStageWeight;
        this.topSentences = b.topSentences;
        this.maxSentences = b.maxSentences;
        this.mmrLambda = b.mmrLambda;
        this.feedbackHits = b.feedbackHits;
        this.feedbackWeight = b.feedbackWeight;
        this.locale = b.locale;
        this.splitter = SentenceSplitter.forLocale(b.locale);
        int size = b.cacheSize;
        this.cache = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                return size() > size;
            }
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public Reranking rerank(RerankRequest request) {
        Objects.requireNonNull(request, "request must not be null");
        List<SearchHit> hits = request.hits();
        if (hits.isEmpty()) {
            return Reranking.applied(List.of());
        }
        float[] query;
        List<List<String>> sentences = new ArrayList<>(hits.size());
        Map<String, float[]> vectors;
        try {
            query = embedder.embedQuery(request.query());
            Set<String> missing = new LinkedHashSet<>();
            vectors = new HashMap<>();
            for (SearchHit h : hits) {
                List<String> s = sentences(h.text());
                sentences.add(s);
                for (String sentence : s) {
                    float[] cached = cache.get(sentence);
                    if (cached != null) {
                        vectors.put(sentence, cached);
                    } else {
                        missing.add(sentence);
                    }
                }
            }
            List<String> todo = new ArrayList<>(missing);
            List<float[]> fresh = embedder.embedDocuments(todo);
            for (int i = 0; i < todo.size(); i++) {
                cache.put(todo.get(i), fresh.get(i));
                vectors.put(todo.get(i), fresh.get(i));
            }
        } catch (EmbeddingException e) {
            String message = "cannot embed the query or sentences with " + embedder.spaceName() + ": " + e.getMessage();
            throw e.isRetriable()
                    ? new RerankException.Retriable(message, e)
                    : new RerankException.NonRetriable(message, e);
        }

        int n = hits.size();
        float[][] passage = new float[n][];
        for (int i = 0; i < n; i++) {
            float[] mean = new float[query.length];
            for (String sentence : sentences.get(i)) {
                float[] v = vectors.get(sentence);
                for (int d = 0; d < mean.length; d++) {
                    mean[d] += v[d];
                }
            }
            passage[i] = Vectors.normalise(mean);
        }
        double[] first = new double[n];
        for (int i = 0; i < n; i++) {
            first[i] = hits.get(i).score();
        }
        // Feedback trusts the first stage's top hits; with equal first-stage scores there is no such thing.
        boolean ranked = range(first) >= 1e-12;
        float[] q = feedbackHits == 0 || !ranked ? query : feedback(query, passage);
        double[] late = new double[n];
        for (int i = 0; i < n; i++) {
            List<String> s = sentences.get(i);
            double[] sims = new double[s.size()];
            for (int j = 0; j < s.size(); j++) {
                sims[j] = Vectors.dot(q, vectors.get(s.get(j)));
            }
            late[i] = topMean(sims, topSentences);
        }
        double[] score = new double[n];
        if (!ranked) {
            // The first stage says nothing (one hit, or equal scores as from /v1/rerank): the late score alone,
            // raw, so it is comparable across requests.
            System.arraycopy(late, 0, score, 0, n);
        } else {
            double[] firstNorm = minMax(first);
            double[] lateNorm = minMax(late);
            for (int i = 0; i < n; i++) {
                score[i] = firstStageWeight * firstNorm[i] + (1 - firstStageWeight) * lateNorm[i];
            }
        }

        List<Integer> order = mmrLambda >= 1.0 ? byScore(score) : mmr(score, passage);
        List<SearchHit> out = new ArrayList<>(Math.min(request.k(), n));
        for (int i = 0; i < order.size() && out.size() < request.k(); i++) {
            int idx = order.get(i);
            out.add(hits.get(idx).withScore(score[idx]));
        }
        return Reranking.applied(out);
    }

    /**
     * Pseudo-relevance feedback in embedding space (Rocchio): the query moved towards the mean of the first
     * {@code feedbackHits} passages of the first stage, {@code q + feedbackWeight * mean}, normalised.
     */
    private float[] feedback(float[] query, float[][] passage) {
        return VectorFeedback.rocchio(
                query, List.of(passage).subList(0, Math.min(feedbackHits, passage.length)), feedbackWeight);
    }

    /** Indexes by descending score; ties keep first-stage order. */
    private static List<Integer> byScore(double[] score) {
        List<Integer> order = new ArrayList<>(score.length);
        for (int i = 0; i < score.length; i++) {
            order.add(i);
        }
        order.sort((a, b) -> Double.compare(score[b], score[a]));
        return order;
    }

    private List<Integer> mmr(double[] score, float[][] passage) {
        int n = score.length;
        List<Integer> chosen = new ArrayList<>(n);
        boolean[] used = new boolean[n];
        double[] maxSim = new double[n];
        java.util.Arrays.fill(maxSim, Double.NEGATIVE_INFINITY);
        for (int step = 0; step < n; step++) {
            int best = -1;
            double bestValue = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (used[i]) {
                    continue;
                }
                double redundancy = chosen.isEmpty() ? 0 : maxSim[i];
                double value = mmrLambda * score[i] - (1 - mmrLambda) * redundancy;
                if (value > bestValue) {
                    bestValue = value;
                    best = i;
                }
            }
            used[best] = true;
            chosen.add(best);
            for (int i = 0; i < n; i++) {
                if (!used[i]) {
                    maxSim[i] = Math.max(maxSim[i], Vectors.dot(passage[i], passage[best]));
                }
            }
        }
        return chosen;
    }

    /** The passage's sentences for embedding: short fragments joined forward, at most maxSentences. */
    List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder carry = new StringBuilder();
        for (SentenceSplitter.Span span : splitter.split(text)) {
            if (out.size() >= maxSentences) {
                break;
            }
            String s = span.in(text).replaceAll("\\s+", " ");
            if (!carry.isEmpty()) {
                carry.append(' ');
            }
            carry.append(s);
            if (carry.length() >= MIN_SENTENCE_CHARS) {
                out.add(carry.toString());
                carry.setLength(0);
            }
        }
        if (!carry.isEmpty() && out.size() < maxSentences) {
            out.add(carry.toString());
        }
        if (out.isEmpty()) {
            out.add(text.isBlank() ? "(empty)" : text.strip());
        }
        return out;
    }

    private static double topMean(double[] sims, int m) {
        double[] sorted = sims.clone();
        java.util.Arrays.sort(sorted);
        int take = Math.min(m, sorted.length);
        double sum = 0;
        for (int i = 0; i < take; i++) {
            sum += sorted[sorted.length - 1 - i];
        }
        return sum / take;
    }

    private static double range(double[] v) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        return max - min;
    }

    private static double[] minMax(double[] v) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        double[] out = new double[v.length];
        if (max - min < 1e-12) {
            return out;
        }
        for (int i = 0; i < v.length; i++) {
            out[i] = (v[i] - min) / (max - min);
        }
        return out;
    }

    @Override
    public String toString() {
        return "LateInteractionReranker[embedder=" + embedder.spaceName() + ", firstStageWeight=" + firstStageWeight
                + ", topSentences=" + topSentences + ", maxSentences=" + maxSentences + ", mmrLambda=" + mmrLambda
                + ", feedbackHits=" + feedbackHits + ", feedbackWeight=" + feedbackWeight + "]";
    }

    /** Builds a {@link LateInteractionReranker}; only the embedder is required. */
    public static final class Builder {
        private Embedder embedder;
        private double firstStageWeight = 0.5;
        private int topSentences = 2;
        private int maxSentences = 32;
        private double mmrLambda = 1.0;
        private int feedbackHits = 3;
        private double feedbackWeight = 0.5;
        private int cacheSize = 10_000;
        private Locale locale = Locale.ENGLISH;

        private Builder() {}

        /** Embeds the query and the sentences. Required; the same model the index was built with is best. */
        public Builder embedder(Embedder embedder) {
            this.embedder = embedder;
            return this;
        }

        /** Weight of the normalised first-stage score in the final score, 0.0..1.0. Default 0.5. */
        public Builder firstStageWeight(double firstStageWeight) {
            this.firstStageWeight = firstStageWeight;
            return this;
        }

        /** Best sentence cosines averaged into the late score, 1..10 (1: MaxSim). Default 2. */
        public Builder topSentences(int topSentences) {
            this.topSentences = topSentences;
            return this;
        }

        /** Sentences of a hit looked at, 1..200. Default 32. */
        public Builder maxSentences(int maxSentences) {
            this.maxSentences = maxSentences;
            return this;
        }

        /** MMR trade-off, 0.0..1.0: 1.0 ranks by relevance only (no diversity). Default 1.0. */
        public Builder mmrLambda(double mmrLambda) {
            this.mmrLambda = mmrLambda;
            return this;
        }

        /**
         * First-stage hits whose mean vector moves the query before scoring (pseudo-relevance feedback), 0..50;
         * 0 turns it off. Not applied when the first-stage scores are all equal. Default 3.
         */
        public Builder feedbackHits(int feedbackHits) {
            this.feedbackHits = feedbackHits;
            return this;
        }

        /** How far feedback moves the query: {@code q + weight * mean}, 0.0..5.0. Default 0.5. */
        public Builder feedbackWeight(double feedbackWeight) {
            this.feedbackWeight = feedbackWeight;
            return this;
        }

        /** Sentence vectors kept, 0..10,000,000. Default 10,000 (about 15 MB at 384 dimensions). */
        public Builder cacheSize(int cacheSize) {
            this.cacheSize = cacheSize;
            return this;
        }

        /** Locale of the sentence rules. Default English. */
        public Builder locale(Locale locale) {
            this.locale = locale;
            return this;
        }

        public LateInteractionReranker build() {
            if (embedder == null) {
                throw new IllegalArgumentException("embedder is required; embedder=null");
            }
            if (!(firstStageWeight >= 0.0 && firstStageWeight <= 1.0)) {
                throw new IllegalArgumentException(
                        "firstStageWeight must be in 0.0..1.0; firstStageWeight=" + firstStageWeight);
            }
            if (topSentences < 1 || topSentences > 10) {
                throw new IllegalArgumentException("topSentences must be in 1..10; topSentences=" + topSentences);
            }
            if (maxSentences < 1 || maxSentences > 200) {
                throw new IllegalArgumentException("maxSentences must be in 1..200; maxSentences=" + maxSentences);
            }
            if (!(mmrLambda >= 0.0 && mmrLambda <= 1.0)) {
                throw new IllegalArgumentException("mmrLambda must be in 0.0..1.0; mmrLambda=" + mmrLambda);
            }
            if (feedbackHits < 0 || feedbackHits > 50) {
                throw new IllegalArgumentException("feedbackHits must be in 0..50; feedbackHits=" + feedbackHits);
            }
            if (!(feedbackWeight >= 0.0 && feedbackWeight <= 5.0)) {
                throw new IllegalArgumentException(
                        "feedbackWeight must be in 0.0..5.0; feedbackWeight=" + feedbackWeight);
            }
            if (cacheSize < 0 || cacheSize > 10_000_000) {
                throw new IllegalArgumentException("cacheSize must be in 0..10000000; cacheSize=" + cacheSize);
            }
            if (locale == null) {
                throw new IllegalArgumentException("locale must not be null; locale=null");
            }
            return new LateInteractionReranker(this);
        }
    }
}
