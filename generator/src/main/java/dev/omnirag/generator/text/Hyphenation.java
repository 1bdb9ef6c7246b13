package dev.omnirag.generator.text;

import java.util.regex.Pattern;

/**
 * Words a typesetter broke across lines ("Spi-\nderMonkey", "in-\nterpreter"), joined again for what reads text:
 * the answer's display, term matching, and the embedder's input for PDF chunks. Stored text and offsets keep the
 * break, so quotes and highlights still point at the page's characters. A break before a lowercase letter joins the
 * parts ("in-\nterpreter" → "interpreter"); before a capital the hyphen stays and the break goes ("Trace-\nMonkey" →
 * "Trace-Monkey"). Stateless.
 */
public final class Hyphenation {

    /** A word hyphenated across a line break before a lowercase letter: the hyphen is the typesetter's. */
    public static final Pattern BROKEN_WORD = Pattern.compile("(\\p{L})-[ \\t]*\\r?\\n\\s*(\\p{Ll})");
    /** A hyphen before a line break and a capital: the word's own hyphen; only the break goes. */
    private static final Pattern HYPHEN_BEFORE_CAPITAL = Pattern.compile("(\\p{L})-[ \\t]*\\r?\\n\\s*");

    private Hyphenation() {
    }

    /** {@code text} with line-end hyphenation joined (see the class comment); other line breaks stay. */
    public static String join(String text) {
        if (text.indexOf('-') < 0) {
            return text;
        }
        String joined = BROKEN_WORD.matcher(text).replaceAll("$1$2");
        return HYPHEN_BEFORE_CAPITAL.matcher(joined).replaceAll("$1-");
    }
}
