package dev.omnirag.generator.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Words a typesetter broke across lines ("Spi-\nderMonkey", "in-\nterpreter"), joined again for what reads text:
 * the answer's display, term matching, the embedder's input for PDF chunks and (as extra words) their keyword index. Stored text and offsets keep the
 * break, so quotes and highlights still point at the page's characters. A break before a lowercase letter joins the
 * parts ("in-\nterpreter" → "interpreter"); before a capital the hyphen stays and the break goes ("Trace-\nMonkey" →
 * "Trace-Monkey"). Stateless.
 */
public final class Hyphenation {

    /** A hyphen before a line break and a capital: the word's own hyphen; only the break goes. */
    private static final Pattern HYPHEN_BEFORE_CAPITAL = Pattern.compile("(\\p{L})-[ \\t]*\\r?\\n\\s*");

    private Hyphenation() {}

    /** A whole word broken by a line-end hyphen before a lowercase letter: its two parts. */
    private static final Pattern BROKEN_WHOLE_WORD = Pattern.compile("(\\p{L}+)-[ \\t]*\\r?\\n\\s*(\\p{Ll}\\p{L}*)");

    /**
     * The words of {@code text} that a line-end hyphen broke before a lowercase letter, joined ("Spi-\nderMonkey" →
     * "SpiderMonkey"), in text order: what a keyword index adds to a chunk's words so the word is found whole while
     * its parts stay searchable ("boundary-\nlayer" is a compound as often as a broken word).
     */
    public static List<String> brokenWords(String text) {
        if (text.indexOf('-') < 0) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        Matcher m = BROKEN_WHOLE_WORD.matcher(text);
        while (m.find()) {
            out.add(m.group(1) + m.group(2));
        }
        return out;
    }

    /**
     * A line-end hyphen before a lowercase letter with the whole words on both sides: a part with a digit or a hyphen
     * of its own makes a compound, whose hyphen stays ("3d-\nraytrace", "date-format-\ntofte", "math-\nspectral-norm").
     */
    private static final Pattern BROKEN_COMPOUND = Pattern.compile(
            "([\\p{L}\\p{N}]+(?:-[\\p{L}\\p{N}]+)*)-[ \\t]*\\r?\\n\\s*(\\p{Ll}[\\p{L}\\p{N}]*(?:-[\\p{L}\\p{N}]+)*)");

    /**
     * {@code text} with line-end hyphenation joined (see the class comment); the hyphen of a compound whose part holds
     * a digit or a hyphen of its own stays ("3d-raytrace", "date-format-tofte"); other line breaks stay.
     */
    public static String join(String text) {
        if (text.indexOf('-') < 0) {
            return text;
        }
        String joined = BROKEN_COMPOUND
                .matcher(text)
                .replaceAll(m -> Matcher.quoteReplacement(
                        compound(m.group(1)) || compound(m.group(2))
                                ? m.group(1) + "-" + m.group(2)
                                : m.group(1) + m.group(2)));
        return HYPHEN_BEFORE_CAPITAL.matcher(joined).replaceAll("$1-");
    }

    private static boolean compound(String part) {
        return part.indexOf('-') >= 0 || part.chars().anyMatch(Character::isDigit);
    }
}
