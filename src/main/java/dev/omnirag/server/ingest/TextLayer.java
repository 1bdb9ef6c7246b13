package dev.omnirag.server.ingest;

import java.util.Locale;

/**
 * Whether a PDF page's text layer is real text or what broken fonts give: glyphs without a Unicode mapping come out as
 * U+FFFD, private-use or control characters, or as letters that form no words. Such a page is read by OCR of its
 * rendering instead (its text layer is dropped).
 *
 * <p>Thresholds, measured on the shared PDFs with PDFBox's text (docs/multimodal.md): the 22 broken pages of
 * TAMReview.pdf have 61–92 % unmapped characters and 0–1 % word-like tokens; every page of tracemonkey.pdf, the tax form
 * and TAMReview's two good pages has 0 % unmapped characters and 52–97 % word-like tokens (the form's numbers and
 * boxes give the 52 %). A page is unusable at {@value #MAX_UNMAPPED_SHARE} unmapped or, with at least
 * {@value #MIN_TOKENS} tokens that are not mostly digits, under {@value #MIN_WORD_SHARE} word-like ones: far from both
 * groups. Stateless.
 */
final class TextLayer {

    /** Share of non-space characters that are unmapped (U+FFFD, private use, control) above which a page is unusable. */
    static final double MAX_UNMAPPED_SHARE = 0.2;
    /** Share of word-like tokens (two or more letters, nothing else) below which a page of text is unusable. */
    static final double MIN_WORD_SHARE = 0.05;
    /** Fewer tokens than this are not judged by their words (a figure's labels, a title page). */
    static final int MIN_TOKENS = 50;

    private TextLayer() {}

    /**
     * The verdict on one page's text.
     *
     * @param usable whether the text layer can be indexed as it is
     * @param unmappedShare share of non-space characters without a real mapping
     * @param wordShare share of tokens that look like words
     * @param reason why the page is unusable, for the job's message; empty when usable
     */
    record Verdict(boolean usable, double unmappedShare, double wordShare, String reason) {}

    static Verdict judge(String text) {
        long nonSpace = 0;
        long unmapped = 0;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isWhitespace(c)) {
                continue;
            }
            nonSpace++;
            if (c == 0xFFFD
                    || Character.getType(c) == Character.PRIVATE_USE
                    || (Character.isISOControl(c) && !Character.isWhitespace(c))) {
                unmapped++;
            }
        }
        double unmappedShare = nonSpace == 0 ? 0 : (double) unmapped / nonSpace;
        int tokens = 0;
        int words = 0;
        int numeric = 0;
        for (String raw : text.split("\\s+")) {
            String token = raw.replaceAll("^\\p{Punct}+|\\p{Punct}+$", "");
            if (token.isEmpty()) {
                continue;
            }
            tokens++;
            if (token.length() >= 2 && token.codePoints().allMatch(Character::isLetter)) {
                words++;
            } else if (token.codePoints().filter(Character::isDigit).count() * 2 >= token.length()) {
                numeric++;
            }
        }
        double wordShare = tokens == 0 ? 0 : (double) words / tokens;
        if (unmappedShare >= MAX_UNMAPPED_SHARE) {
            return new Verdict(
                    false,
                    unmappedShare,
                    wordShare,
                    String.format(
                            Locale.ROOT, "%.0f%% of its characters have no Unicode mapping", unmappedShare * 100));
        }
        if (tokens >= MIN_TOKENS && numeric * 2 < tokens && wordShare < MIN_WORD_SHARE) {
            return new Verdict(
                    false,
                    unmappedShare,
                    wordShare,
                    String.format(Locale.ROOT, "only %.0f%% of its tokens are words", wordShare * 100));
        }
        return new Verdict(true, unmappedShare, wordShare, "");
    }
}
