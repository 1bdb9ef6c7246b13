package dev.omnirag.index;

import java.util.Objects;

/**
 * Earlier text of a conversation that the keyword side of a search also looks for, with less weight than the query
 * itself: a follow-up such as "what else did he say in that speech?" names neither the speaker nor the speech, the
 * question before it did.
 *
 * <p>Each distinct analysed word of {@code text} (stop words removed by the index's analyzer) joins the keyword query
 * once, weighted {@code weight} (a word the query says once weighs 1), at most {@link #MAX_TERMS} of them, the rarest
 * in the index first; BM25's idf then ranks rare words above common ones as for the query's own words.
 *
 * @param text earlier text (a previous question), not blank
 * @param weight its words' weight, in (0, 1]
 */
public record KeywordContext(String text, double weight) {

    /** Words of one context text that join the query at most. */
    public static final int MAX_TERMS = 16;

    public KeywordContext {
        Objects.requireNonNull(text, "text must not be null");
        if (text.isBlank()) {
            throw new IllegalArgumentException("text must not be blank");
        }
        if (!(weight > 0 && weight <= 1)) {
            throw new IllegalArgumentException("weight must be in (0, 1]; weight=" + weight);
        }
    }
}
