package dev.omnirag.generator;

/**
 * A reference from the answer to a quoted span of one source.
 *
 * @param n           the number in the answer's {@code [n]} marker, 1-based
 * @param sourceIndex 0-based index into {@link GenerationRequest#sources()}
 * @param sourceId    that source's {@link Source#id()}
 * @param quote       exactly {@code source.text().substring(quoteStart, quoteEnd)}: the part of the source that
 *                    supports the claim best; generators guarantee this, the record checks only that the length
 *                    matches (use {@link #of(int, int, Source, int, int)} to build one that is right by
 *                    construction)
 * @param quoteStart  start offset of the quote in the source text, inclusive
 * @param quoteEnd    end offset of the quote in the source text, exclusive
 * @param claim       the sentence of the answer the marker is attached to (what the citation is meant to
 *                    support), as the answer shows it; not null, may be empty when a marker has no sentence
 * @param verified    true when the source was checked to support the claim (see {@link CitationVerifier});
 *                    quotes of the extractive generator are their own claims and verified by construction
 * @param support     how well the quote supports the claim, 0.0..1.0 (the verifier's score; 1.0 for a verbatim
 *                    quote)
 * @param strong      whether the cited passage bears strongly on the question: for the extractive generator, the
 *                    sentence's relevance reached its answer threshold; for a model's citation, the verifier found
 *                    the claim supported ({@code verified}). A reader should trust a weak citation less.
 */
public record Citation(
        int n,
        int sourceIndex,
        String sourceId,
        String quote,
        int quoteStart,
        int quoteEnd,
        String claim,
        boolean verified,
        double support,
        boolean strong) {

    public Citation {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1; n=" + n);
        }
        if (sourceIndex < 0) {
            throw new IllegalArgumentException("sourceIndex must not be negative; sourceIndex=" + sourceIndex);
        }
        if (sourceId == null || sourceId.isBlank()) {
            throw new IllegalArgumentException("sourceId must not be blank; sourceId=" + Source.quoted(sourceId));
        }
        if (quoteStart < 0 || quoteStart > quoteEnd) {
            throw new IllegalArgumentException(
                    "quoteStart and quoteEnd must satisfy 0 <= quoteStart <= quoteEnd; quoteStart=" + quoteStart
                            + ", quoteEnd=" + quoteEnd);
        }
        if (quote == null || quote.length() != quoteEnd - quoteStart) {
            throw new IllegalArgumentException("quote must be the quoteEnd - quoteStart = " + (quoteEnd - quoteStart)
                    + " characters it spans; quote=" + Source.quoted(quote));
        }
        if (claim == null) {
            throw new IllegalArgumentException("claim must not be null; n=" + n);
        }
        if (!(support >= 0.0 && support <= 1.0)) {
            throw new IllegalArgumentException("support must be in 0.0..1.0; support=" + support);
        }
    }

    /** A citation whose strength is its verification ({@code strong = verified}). */
    public Citation(
            int n,
            int sourceIndex,
            String sourceId,
            String quote,
            int quoteStart,
            int quoteEnd,
            String claim,
            boolean verified,
            double support) {
        this(n, sourceIndex, sourceId, quote, quoteStart, quoteEnd, claim, verified, support, verified);
    }

    /**
     * A verbatim quote that is its own claim (what the extractive generator produces): verified, support 1.0,
     * claim = quote, strong.
     */
    public Citation(int n, int sourceIndex, String sourceId, String quote, int quoteStart, int quoteEnd) {
        this(n, sourceIndex, sourceId, quote, quoteStart, quoteEnd, quote == null ? "" : quote, true, 1.0, true);
    }

    /** Quotes {@code source.text().substring(quoteStart, quoteEnd)} as its own claim; offsets are checked. */
    public static Citation of(int n, int sourceIndex, Source source, int quoteStart, int quoteEnd) {
        checkSpan(source, quoteStart, quoteEnd);
        return new Citation(
                n, sourceIndex, source.id(), source.text().substring(quoteStart, quoteEnd), quoteStart, quoteEnd);
    }

    /** Cites {@code source.text().substring(quoteStart, quoteEnd)} for a claim, with the verifier's verdict. */
    public static Citation of(
            int n,
            int sourceIndex,
            Source source,
            int quoteStart,
            int quoteEnd,
            String claim,
            boolean verified,
            double support) {
        checkSpan(source, quoteStart, quoteEnd);
        return new Citation(
                n,
                sourceIndex,
                source.id(),
                source.text().substring(quoteStart, quoteEnd),
                quoteStart,
                quoteEnd,
                claim,
                verified,
                support);
    }

    private static void checkSpan(Source source, int quoteStart, int quoteEnd) {
        if (quoteStart < 0 || quoteStart > quoteEnd || quoteEnd > source.text().length()) {
            throw new IllegalArgumentException(
                    "quoteStart and quoteEnd must lie in 0.." + source.text().length() + " of source " + source.id()
                            + "; quoteStart=" + quoteStart + ", quoteEnd=" + quoteEnd);
        }
    }

    /** The {@code [n]} marker that stands for this citation in the answer text. */
    public String marker() {
        return "[" + n + "]";
    }

    /** The same citation with another number (markers are renumbered in order of appearance). */
    public Citation withNumber(int newN) {
        return new Citation(newN, sourceIndex, sourceId, quote, quoteStart, quoteEnd, claim, verified, support, strong);
    }

    /** The same citation, strong or weak. */
    public Citation withStrong(boolean isStrong) {
        return new Citation(n, sourceIndex, sourceId, quote, quoteStart, quoteEnd, claim, verified, support, isStrong);
    }

    /**
     * Whether the claim is the source's own words: the claim, read as people read it (whitespace normalised, line-end
     * hyphenation undone, case ignored), appears in the quote. True for the extractive generator's quotes, false for
     * a model's paraphrase however well supported.
     */
    public boolean verbatim() {
        String c = Sentences.display(claim).toLowerCase(java.util.Locale.ROOT);
        return !c.isEmpty()
                && Sentences.display(quote).toLowerCase(java.util.Locale.ROOT).contains(c);
    }
}
