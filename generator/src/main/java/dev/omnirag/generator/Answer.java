package dev.omnirag.generator;

import java.util.List;

/**
 * A generated answer.
 *
 * @param text           the answer, with {@code [n]} markers where it cites; not null
 * @param citations      the citations, in order of first appearance in the text; null becomes empty
 * @param grounded       share of the answer's sentences that carry at least one verified citation, 0.0..1.0
 *                       (see {@link Claims#groundedRatio(String, List)}); 0 for an answer without sentences
 * @param fallback       true when the generator could not produce its normal answer and gave a degraded one
 *                       (e.g. an LLM generator that was unreachable and answered extractively instead)
 * @param fallbackReason why, for logs and the user; non-blank exactly when {@code fallback} is true, else null
 */
public record Answer(String text, List<Citation> citations, double grounded, boolean fallback, String fallbackReason) {

    public Answer {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        citations = citations == null ? List.of() : List.copyOf(citations);
        if (!(grounded >= 0.0 && grounded <= 1.0)) {
            throw new IllegalArgumentException("grounded must be in 0.0..1.0; grounded=" + grounded);
        }
        if (fallback && (fallbackReason == null || fallbackReason.isBlank())) {
            throw new IllegalArgumentException("fallbackReason must not be blank when fallback is true; fallbackReason="
                    + Source.quoted(fallbackReason));
        }
        if (!fallback && fallbackReason != null) {
            throw new IllegalArgumentException("fallbackReason must be null when fallback is false; fallbackReason="
                    + Source.quoted(fallbackReason));
        }
    }

    /** An answer whose grounded ratio is computed from its text and citations. */
    public Answer(String text, List<Citation> citations, boolean fallback, String fallbackReason) {
        this(text, citations, Claims.groundedRatio(text, citations), fallback, fallbackReason);
    }

    /** A normal (not fallback) answer; the grounded ratio is computed from text and citations. */
    public Answer(String text, List<Citation> citations) {
        this(text, citations, false, null);
    }

    /** The same answer marked as a fallback for {@code reason}. */
    public Answer asFallback(String reason) {
        return new Answer(text, citations, grounded, true, reason);
    }
}
