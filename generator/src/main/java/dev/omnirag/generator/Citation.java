package dev.omnirag.generator;

/**
 * A reference from the answer to a quoted span of one source.
 *
 * @param n           the number in the answer's {@code [n]} marker, 1-based
 * @param sourceIndex 0-based index into {@link GenerationRequest#sources()}
 * @param sourceId    that source's {@link Source#id()}
 * @param quote       exactly {@code source.text().substring(quoteStart, quoteEnd)}; generators guarantee this,
 *                    the record checks only that the length matches (use
 *                    {@link #of(int, int, Source, int, int)} to build one that is right by construction)
 * @param quoteStart  start offset of the quote in the source text, inclusive
 * @param quoteEnd    end offset of the quote in the source text, exclusive
 */
public record Citation(int n, int sourceIndex, String sourceId, String quote, int quoteStart, int quoteEnd) {

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
            throw new IllegalArgumentException("quoteStart and quoteEnd must satisfy 0 <= quoteStart <= quoteEnd; quoteStart="
                    + quoteStart + ", quoteEnd=" + quoteEnd);
        }
        if (quote == null || quote.length() != quoteEnd - quoteStart) {
            throw new IllegalArgumentException("quote must be the quoteEnd - quoteStart = " + (quoteEnd - quoteStart)
                    + " characters it spans; quote=" + Source.quoted(quote));
        }
    }

    /** Cites {@code source.text().substring(quoteStart, quoteEnd)}; offsets are checked against the text. */
    public static Citation of(int n, int sourceIndex, Source source, int quoteStart, int quoteEnd) {
        if (quoteStart < 0 || quoteStart > quoteEnd || quoteEnd > source.text().length()) {
            throw new IllegalArgumentException("quoteStart and quoteEnd must lie in 0.." + source.text().length()
                    + " of source " + source.id() + "; quoteStart=" + quoteStart + ", quoteEnd=" + quoteEnd);
        }
        return new Citation(n, sourceIndex, source.id(), source.text().substring(quoteStart, quoteEnd), quoteStart, quoteEnd);
    }

    /** The {@code [n]} marker that stands for this citation in the answer text. */
    public String marker() {
        return "[" + n + "]";
    }
}
