package dev.omnirag.generator;

import dev.omnirag.embeddings.Embedder;
import dev.omnirag.embeddings.EmbeddingException;
import dev.omnirag.embeddings.Vectors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Answers by quoting: picks the sentences of the sources that best answer the question and cites each one.
 * No language model is involved, so it is fast, cannot hallucinate and is the default generator.
 *
 * <p>How: each source is split into sentences ({@link java.text.BreakIterator}; fragments under 4 words and
 * mostly non-letter fragments such as tables and code are skipped). Sentences are pre-selected by lexical
 * overlap with the question's content words (IDF-weighted over the request's sentences) down to
 * {@code candidateSentences}; those are embedded and scored as
 * {@code relevance = 0.6 * cosine(question, sentence) + 0.4 * lexical}. Sentences whose relevance reaches
 * {@code minScore} are ranked by relevance plus a bonus of up to 0.03 for higher-ranked sources (source order
 * is retrieval rank), near-duplicates are dropped, and the best {@code maxSentences} form the answer in rank
 * order, each followed by its own {@code [n]} marker, n = 1, 2, 3... When none qualifies the answer is
 * {@link #NO_ANSWER} without citations. Conversation history is ignored: the question is answered alone.
 *
 * <p>The answer text shows sentences with whitespace normalised and line-break hyphenation undone, for
 * reading; the citations quote the source text exactly.
 *
 * <p>Immutable and thread safe (the {@link Embedder} is). Each call embeds the question and up to
 * {@code candidateSentences} sentences, so it is CPU-bound for a fraction of a second with bge-small.
 */
public final class ExtractiveGenerator implements Generator {

    /** The answer when the sources say nothing about the question. */
    public static final String NO_ANSWER = "I could not find an answer to that in the documents.";

    /**
     * Default least relevance, measured with bge-small-en-v1.5 on the TraceMonkey paper and short cooking
     * texts: sentences that answer score 0.44 (weak paraphrase) to 0.89 ("2x-20x speedup for traceable
     * programs"); the best sentence for an unrelated question scores at most 0.33 without shared words and
     * 0.38 when a common word happens to match (aspirin "side effects" vs "effects of inlining").
     */
    public static final double DEFAULT_MIN_SCORE = 0.40;

    /** Weight of embedding similarity in relevance; the rest is lexical overlap. */
    static final double EMBEDDING_WEIGHT = 0.6;
    /** Bonus of the top-ranked source; it falls linearly to 0 after the last. */
    static final double SOURCE_RANK_BONUS = 0.03;
    /** Token-set Jaccard similarity from which two sentences count as the same statement. */
    private static final double DUPLICATE_JACCARD = 0.8;

    private final Embedder embedder;
    private final int maxSentences;
    private final double minScore;
    private final int candidateSentences;
    private final Locale locale;

    private ExtractiveGenerator(Builder b) {
        this.embedder = b.embedder;
        this.maxSentences = b.maxSentences;
        this.minScore = b.minScore;
        this.candidateSentences = b.candidateSentences;
        this.locale = b.locale;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "extractive";
    }

    @Override
    public Answer generate(GenerationRequest request, AnswerListener listener) {
        Objects.requireNonNull(request, "request must not be null");
        Objects.requireNonNull(listener, "listener must not be null");
        List<Scored> chosen = choose(score(request));
        if (chosen.isEmpty()) {
            listener.onDelta(NO_ANSWER);
            return new Answer(NO_ANSWER, List.of());
        }
        StringBuilder text = new StringBuilder();
        List<Citation> citations = new ArrayList<>(chosen.size());
        for (int i = 0; i < chosen.size(); i++) {
            Candidate c = chosen.get(i).candidate();
            Citation citation = Citation.of(i + 1, c.sourceIndex(), request.sources().get(c.sourceIndex()), c.start(), c.end());
            String delta = c.display() + " " + citation.marker() + (i + 1 < chosen.size() ? " " : "");
            citations.add(citation);
            listener.onCitation(citation);
            listener.onDelta(delta);
            text.append(delta);
        }
        return new Answer(text.toString(), citations);
    }

    /**
     * Scores every sentence of the request; only pre-selected candidates get an embedding score. Package
     * private so tests can measure the scores that {@code minScore} is calibrated on.
     */
    List<Scored> score(GenerationRequest request) {
        List<Candidate> sentences = new ArrayList<>();
        List<Source> sources = request.sources();
        for (int s = 0; s < sources.size(); s++) {
            String text = sources.get(s).text();
            for (Sentences.Span span : Sentences.split(text, locale)) {
                String sentence = text.substring(span.start(), span.end());
                sentences.add(new Candidate(s, span.start(), span.end(), Sentences.display(sentence), Terms.of(sentence)));
            }
        }
        if (sentences.isEmpty()) {
            return List.of();
        }
        Map<String, Double> weights = termWeights(Terms.of(request.question()), sentences);
        double totalWeight = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        List<Scored> lexical = new ArrayList<>(sentences.size());
        for (Candidate c : sentences) {
            double matched = 0;
            for (Map.Entry<String, Double> w : weights.entrySet()) {
                if (c.terms().contains(w.getKey())) {
                    matched += w.getValue();
                }
            }
            lexical.add(new Scored(c, totalWeight == 0 ? 0 : matched / totalWeight, 0, 0, 0));
        }
        // Stable sort: ties keep source rank and document order, so without any overlap the top sources' first
        // sentences are the ones embedded.
        lexical.sort(Comparator.comparingDouble(Scored::lexical).reversed());
        List<Scored> candidates = lexical.subList(0, Math.min(candidateSentences, lexical.size()));

        List<String> texts = new ArrayList<>(candidates.size());
        for (Scored c : candidates) {
            texts.add(c.candidate().display());
        }
        float[] question;
        List<float[]> vectors;
        try {
            question = embedder.embedQuery(request.question());
            vectors = embedder.embedDocuments(texts);
        } catch (EmbeddingException e) {
            String message = "cannot embed the question or sentences with " + embedder.spaceName() + ": " + e.getMessage();
            throw e.isRetriable() ? new GenerationException.Retriable(message, e) : new GenerationException.NonRetriable(message, e);
        }
        List<Scored> scored = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            Scored c = candidates.get(i);
            double cosine = Vectors.dot(question, vectors.get(i));
            double relevance = EMBEDDING_WEIGHT * cosine + (1 - EMBEDDING_WEIGHT) * c.lexical();
            double bonus = SOURCE_RANK_BONUS * (sources.size() - c.candidate().sourceIndex()) / sources.size();
            scored.add(new Scored(c.candidate(), c.lexical(), cosine, relevance, relevance + bonus));
        }
        scored.sort(Comparator.comparingDouble(Scored::rank).reversed());
        return scored;
    }

    /** Best first, relevance at least minScore, no near-duplicates, at most maxSentences. */
    private List<Scored> choose(List<Scored> ranked) {
        List<Scored> chosen = new ArrayList<>();
        Set<String> seenTexts = new HashSet<>();
        for (Scored s : ranked) {
            if (chosen.size() == maxSentences) {
                break;
            }
            if (s.relevance() < minScore) {
                continue;
            }
            String normalised = s.candidate().display().toLowerCase(Locale.ROOT);
            if (!seenTexts.add(normalised) || chosen.stream().anyMatch(c -> nearDuplicate(c.candidate(), s.candidate()))) {
                continue;
            }
            chosen.add(s);
        }
        return chosen;
    }

    /** IDF of each question term over the request's sentences; terms found nowhere weigh most. */
    private static Map<String, Double> termWeights(Set<String> questionTerms, List<Candidate> sentences) {
        Map<String, Double> weights = new HashMap<>();
        int n = sentences.size();
        for (String term : questionTerms) {
            int df = 0;
            for (Candidate c : sentences) {
                if (c.terms().contains(term)) {
                    df++;
                }
            }
            weights.put(term, Math.log(1 + (double) n / (1 + df)));
        }
        return weights;
    }

    private static boolean nearDuplicate(Candidate a, Candidate b) {
        if (a.terms().isEmpty() || b.terms().isEmpty()) {
            return false;
        }
        int common = 0;
        for (String t : a.terms()) {
            if (b.terms().contains(t)) {
                common++;
            }
        }
        int union = a.terms().size() + b.terms().size() - common;
        return (double) common / union >= DUPLICATE_JACCARD;
    }


    @Override
    public String toString() {
        return "ExtractiveGenerator[embedder=" + embedder.spaceName() + ", maxSentences=" + maxSentences
                + ", minScore=" + minScore + ", candidateSentences=" + candidateSentences + ", locale=" + locale + "]";
    }

    /** A sentence of a source: {@code sources.get(sourceIndex).text().substring(start, end)}. */
    record Candidate(int sourceIndex, int start, int end, String display, Set<String> terms) {
    }

    /**
     * A candidate's scores: lexical overlap in 0..1, embedding cosine, relevance (their mix, compared with
     * minScore) and rank (relevance plus the source-rank bonus, used for ordering).
     */
    record Scored(Candidate candidate, double lexical, double cosine, double relevance, double rank) {
    }

    /** Builds an {@link ExtractiveGenerator}; only the embedder is required. */
    public static final class Builder {
        private Embedder embedder;
        private int maxSentences = 3;
        private double minScore = DEFAULT_MIN_SCORE;
        private int candidateSentences = 24;
        private Locale locale = Locale.ENGLISH;

        private Builder() {
        }

        /** Embeds the question and the candidate sentences. Required. */
        public Builder embedder(Embedder embedder) {
            this.embedder = embedder;
            return this;
        }

        /** Most sentences in an answer, 1..20. Default 3. */
        public Builder maxSentences(int maxSentences) {
            this.maxSentences = maxSentences;
            return this;
        }

        /**
         * Least relevance (0.6 * cosine + 0.4 * lexical overlap) for a sentence to be quoted, 0.0..1.0. Default
         * {@link ExtractiveGenerator#DEFAULT_MIN_SCORE}, tuned for bge-small-en-v1.5; other embedders may need another value.
         */
        public Builder minScore(double minScore) {
            this.minScore = minScore;
            return this;
        }

        /** Sentences pre-selected by lexical overlap to be embedded, 1..500. Default 24; cost grows with it. */
        public Builder candidateSentences(int candidateSentences) {
            this.candidateSentences = candidateSentences;
            return this;
        }

        /** Locale of the sentence rules. Default English (the stop words and stemming are English anyway). */
        public Builder locale(Locale locale) {
            this.locale = locale;
            return this;
        }

        public ExtractiveGenerator build() {
            if (embedder == null) {
                throw new IllegalArgumentException("embedder is required; embedder=null");
            }
            if (maxSentences < 1 || maxSentences > 20) {
                throw new IllegalArgumentException("maxSentences must be in 1..20; maxSentences=" + maxSentences);
            }
            if (!(minScore >= 0.0 && minScore <= 1.0)) {
                throw new IllegalArgumentException("minScore must be in 0.0..1.0; minScore=" + minScore);
            }
            if (candidateSentences < 1 || candidateSentences > 500) {
                throw new IllegalArgumentException("candidateSentences must be in 1..500; candidateSentences=" + candidateSentences);
            }
            if (locale == null) {
                throw new IllegalArgumentException("locale must not be null; locale=null");
            }
            return new ExtractiveGenerator(this);
        }
    }
}
