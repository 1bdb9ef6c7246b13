package dev.omnirag.generator;

import dev.omnirag.embeddings.Embedder;
import dev.omnirag.embeddings.EmbeddingException;
import dev.omnirag.embeddings.Vectors;
import dev.omnirag.generator.text.SentenceSplitter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks that a cited source supports the sentence that cites it, and finds the part of the source that does.
 *
 * <p>For a claim (the answer sentence a marker is attached to) and a source it computes:
 * <ul>
 *   <li><b>lexical</b>: the share of the claim's content words (stop words dropped, crudely stemmed) found in
 *       the source, 0..1;</li>
 *   <li><b>numbers</b>: whether every word of the claim that holds a digit ({@code 2x}, {@code 1995}) occurs in
 *       the source: a figure the source does not state is the classic fabrication;</li>
 *   <li><b>similarity</b>: the best cosine between the claim and the source's sentences (the
 *       {@code candidateSentences} with most words in common with the claim are embedded), which also picks the
 *       quote.</li>
 * </ul>
 * They combine into {@code support = 0.7 * similarity + 0.3 * lexical}. The citation is verified when numbers
 * hold, {@code lexical >= minLexical} and {@code support >= minSupport}. The mix matters: a claim that names its
 * subject with a pronoun ("It gives a 2x-20x speedup...") embeds a little away from the sentence it paraphrases,
 * while the words it shares with the source still say it is the right passage.
 *
 * <p>Immutable and thread safe. {@link #session(List)} keeps the embeddings of one request's source sentences,
 * so citing the same source twice embeds its sentences once; a session is for one thread.
 */
public final class CitationVerifier {

    /**
     * Default least support, measured with bge-small-en-v1.5 on the TraceMonkey paper (CitationVerifierTest and
     * OpenAiCompatibleGeneratorTest): paraphrased supported claims score 0.80 to 0.92 (0.80: a claim starting with
     * "It"), claims of the paper cited to a passage of it that does not say them at most 0.72, off-topic claims
     * at most 0.38.
     */
    public static final double DEFAULT_MIN_SUPPORT = 0.76;
    /** Weight of embedding similarity in support; the rest is lexical coverage. */
    public static final double SIMILARITY_WEIGHT = 0.7;
    /** Default least share of the claim's content words that the source contains. */
    public static final double DEFAULT_MIN_LEXICAL = 0.3;

    private final Embedder embedder;
    private final double minSupport;
    private final double minLexical;
    private final int candidateSentences;
    private final boolean checkNumbers;
    private final Locale locale;
    private final SentenceSplitter splitter;

    private CitationVerifier(Builder b) {
        this.embedder = b.embedder;
        this.minSupport = b.minSupport;
        this.minLexical = b.minLexical;
        this.candidateSentences = b.candidateSentences;
        this.checkNumbers = b.checkNumbers;
        this.locale = b.locale;
        this.splitter = SentenceSplitter.forLocale(b.locale);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The verdict on one claim and source, with the quote (offsets in the source text) that supports it best. */
    public record Verification(
            boolean verified,
            double support,
            double similarity,
            double lexical,
            boolean numbersFound,
            int quoteStart,
            int quoteEnd) {

        public Verification {
            if (quoteStart < 0 || quoteStart > quoteEnd) {
                throw new IllegalArgumentException("quoteStart and quoteEnd must satisfy 0 <= quoteStart <= quoteEnd; "
                        + "quoteStart=" + quoteStart + ", quoteEnd=" + quoteEnd);
            }
        }
    }

    /** A verification context for the sources of one request. */
    public Session session(List<Source> sources) {
        return new Session(List.copyOf(sources));
    }

    /** Verifies claims against the sources of one request, caching sentence embeddings. Not thread safe. */
    public final class Session {
        private final List<Source> sources;
        private final Map<Integer, List<SourceSentence>> sentences = new HashMap<>();
        private final Map<Integer, Set<String>> sourceTerms = new HashMap<>();
        private final Map<String, float[]> vectors = new HashMap<>();

        private Session(List<Source> sources) {
            this.sources = sources;
        }

        /** Checks {@code claim} against source {@code sourceIndex} (0-based). */
        public Verification verify(String claim, int sourceIndex) {
            Objects.checkIndex(sourceIndex, sources.size());
            Objects.requireNonNull(claim, "claim must not be null");
            List<SourceSentence> candidates = sentences.computeIfAbsent(sourceIndex, this::split);
            if (claim.isBlank() || candidates.isEmpty()) {
                int end = candidates.isEmpty() ? 0 : candidates.getFirst().end();
                int start = candidates.isEmpty() ? 0 : candidates.getFirst().start();
                return new Verification(false, 0, 0, 0, false, start, end);
            }
            Set<String> claimTerms = Terms.of(claim);
            Set<String> terms = sourceTerms.computeIfAbsent(
                    sourceIndex, i -> Terms.of(sources.get(i).text()));
            int found = 0;
            boolean numbers = true;
            for (String t : claimTerms) {
                boolean present = terms.contains(t);
                if (present) {
                    found++;
                }
                if (!present && hasDigit(t)) {
                    numbers = false;
                }
            }
            double lexical = claimTerms.isEmpty() ? 0 : (double) found / claimTerms.size();

            // The sentences sharing most words with the claim are the ones worth embedding.
            List<SourceSentence> ranked = new ArrayList<>(candidates);
            ranked.sort(Comparator.comparingInt((SourceSentence s) -> -overlap(claimTerms, s.terms())));
            ranked = ranked.subList(0, Math.min(candidateSentences, ranked.size()));
            float[] claimVector = vector(Sentences.display(claim));
            SourceSentence best = ranked.getFirst();
            double bestCosine = -1;
            for (SourceSentence s : ranked) {
                double cosine = Vectors.dot(claimVector, vector(s.display()));
                if (cosine > bestCosine) {
                    bestCosine = cosine;
                    best = s;
                }
            }
            double support =
                    Math.max(0.0, Math.min(1.0, SIMILARITY_WEIGHT * bestCosine + (1 - SIMILARITY_WEIGHT) * lexical));
            boolean verified = (!checkNumbers || numbers) && lexical >= minLexical && support >= minSupport;
            return new Verification(verified, support, bestCosine, lexical, numbers, best.start(), best.end());
        }

        private List<SourceSentence> split(int sourceIndex) {
            String text = sources.get(sourceIndex).text();
            List<SourceSentence> out = new ArrayList<>();
            for (Sentences.Span span : Sentences.split(text, splitter)) {
                out.add(new SourceSentence(
                        span.start(),
                        span.end(),
                        Sentences.display(text, span),
                        Terms.of(Sentences.matchText(text, span))));
            }
            if (out.isEmpty() && !text.isBlank()) {
                // Too short or too unusual for sentence rules (a caption, a title): the whole text is the quote.
                int start = 0;
                int end = text.length();
                while (start < end && Character.isWhitespace(text.charAt(start))) {
                    start++;
                }
                while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
                    end--;
                }
                String whole = text.substring(start, end);
                out.add(new SourceSentence(start, end, Sentences.display(whole), Terms.of(whole)));
            }
            return out;
        }

        private float[] vector(String text) {
            float[] v = vectors.get(text);
            if (v == null) {
                try {
                    v = embedder.embedDocument(text);
                } catch (EmbeddingException e) {
                    String message = "cannot embed a sentence to verify a citation with " + embedder.spaceName() + ": "
                            + e.getMessage();
                    throw e.isRetriable()
                            ? new GenerationException.Retriable(message, e)
                            : new GenerationException.NonRetriable(message, e);
                }
                vectors.put(text, v);
            }
            return v;
        }
    }

    private record SourceSentence(int start, int end, String display, Set<String> terms) {}

    private static int overlap(Set<String> a, Set<String> b) {
        int n = 0;
        for (String t : a) {
            if (b.contains(t)) {
                n++;
            }
        }
        return n;
    }

    private static boolean hasDigit(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isDigit(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "CitationVerifier[embedder=" + embedder.spaceName() + ", minSupport=" + minSupport + ", minLexical="
                + minLexical + ", candidateSentences=" + candidateSentences + ", checkNumbers=" + checkNumbers + "]";
    }

    /** Builds a {@link CitationVerifier}; only the embedder is required. */
    public static final class Builder {
        private Embedder embedder;
        private double minSupport = DEFAULT_MIN_SUPPORT;
        private double minLexical = DEFAULT_MIN_LEXICAL;
        private int candidateSentences = 4;
        private boolean checkNumbers = true;
        private Locale locale = Locale.ENGLISH;

        private Builder() {}

        /** Embeds claims and source sentences. Required. */
        public Builder embedder(Embedder embedder) {
            this.embedder = embedder;
            return this;
        }

        /**
         * Least support ({@code 0.7 * similarity + 0.3 * lexical}), 0.0..1.0. Default
         * {@link CitationVerifier#DEFAULT_MIN_SUPPORT}, calibrated for bge-small-en-v1.5.
         */
        public Builder minSupport(double minSupport) {
            this.minSupport = minSupport;
            return this;
        }

        /**
         * Least share of the claim's content words found in the source, 0.0..1.0. Default
         * {@link CitationVerifier#DEFAULT_MIN_LEXICAL}.
         */
        public Builder minLexical(double minLexical) {
            this.minLexical = minLexical;
            return this;
        }

        /** Source sentences embedded per claim, 1..50. Default 4. */
        public Builder candidateSentences(int candidateSentences) {
            this.candidateSentences = candidateSentences;
            return this;
        }

        /** Whether every number of the claim must occur in the source. Default true. */
        public Builder checkNumbers(boolean checkNumbers) {
            this.checkNumbers = checkNumbers;
            return this;
        }

        /** Locale of the sentence rules. Default English. */
        public Builder locale(Locale locale) {
            this.locale = locale;
            return this;
        }

        public CitationVerifier build() {
            if (embedder == null) {
                throw new IllegalArgumentException("embedder is required; embedder=null");
            }
            if (!(minSupport >= 0.0 && minSupport <= 1.0)) {
                throw new IllegalArgumentException("minSupport must be in 0.0..1.0; minSupport=" + minSupport);
            }
            if (!(minLexical >= 0.0 && minLexical <= 1.0)) {
                throw new IllegalArgumentException("minLexical must be in 0.0..1.0; minLexical=" + minLexical);
            }
            if (candidateSentences < 1 || candidateSentences > 50) {
                throw new IllegalArgumentException(
                        "candidateSentences must be in 1..50; candidateSentences=" + candidateSentences);
            }
            if (locale == null) {
                throw new IllegalArgumentException("locale must not be null; locale=null");
            }
            return new CitationVerifier(this);
        }
    }
}
