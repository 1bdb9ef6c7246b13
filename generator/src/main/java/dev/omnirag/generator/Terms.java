package dev.omnirag.generator;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Content words of English text for lexical matching: lowercased, stop words dropped, crudely stemmed so that
 * inflections meet ({@code traces, tracing, traceable -> trac}). Precision does not matter much: the terms
 * only pre-select sentences and add a lexical signal to embedding similarity.
 */
final class Terms {

    private static final Set<String> STOP_WORDS = Set.of(
            "a",
            "about",
            "above",
            "after",
            "again",
            "against",
            "all",
            "also",
            "am",
            "an",
            "and",
            "any",
            "are",
            "as",
            "at",
            "be",
            "because",
            "been",
            "before",
            "being",
            "below",
            "between",
            "both",
            "but",
            "by",
            "can",
            "could",
            "did",
            "do",
            "does",
            "doing",
            "done",
            "down",
            "during",
            "each",
            "either",
            "etc",
            "few",
            "for",
            "from",
            "further",
            "had",
            "has",
            "have",
            "having",
            "he",
            "her",
            "here",
            "hers",
            "herself",
            "him",
            "himself",
            "his",
            "how",
            "however",
            "i",
            "if",
            "in",
            "into",
            "is",
            "it",
            "its",
            "itself",
            "just",
            "let",
            "may",
            "me",
            "might",
            "more",
            "most",
            "much",
            "must",
            "my",
            "myself",
            "no",
            "nor",
            "not",
            "now",
            "of",
            "off",
            "on",
            "once",
            "one",
            "only",
            "or",
            "other",
            "our",
            "ours",
            "ourselves",
            "out",
            "over",
            "own",
            "per",
            "same",
            "shall",
            "she",
            "should",
            "so",
            "some",
            "such",
            "than",
            "that",
            "the",
            "their",
            "theirs",
            "them",
            "themselves",
            "then",
            "there",
            "these",
            "they",
            "this",
            "those",
            "through",
            "thus",
            "to",
            "too",
            "under",
            "until",
            "up",
            "upon",
            "us",
            "very",
            "via",
            "was",
            "we",
            "were",
            "what",
            "when",
            "where",
            "whether",
            "which",
            "while",
            "who",
            "whom",
            "whose",
            "why",
            "will",
            "with",
            "within",
            "without",
            "would",
            "yes",
            "yet",
            "you",
            "your",
            "yours",
            "yourself",
            "yourselves",
            // Question phrasing that says nothing about the topic.
            "describe",
            "explain",
            "tell",
            "please",
            "give",
            "gives",
            "given",
            "mean",
            "means",
            "kind",
            "kinds");

    /** Suffixes stripped, longest first; the stem must keep at least 3 characters. */
    private static final String[] SUFFIXES = {
        "ations", "ation", "ments", "ment", "ness", "ings", "able", "ible", "ers", "ing", "ies", "ed", "er", "es", "ly",
        "s"
    };

    private Terms() {}

    /** Distinct stemmed content terms of the text, in order of first appearance. */
    static Set<String> of(String text) {
        String joined = dev.omnirag.generator.text.Hyphenation.join(text).toLowerCase(Locale.ROOT);
        Set<String> terms = new LinkedHashSet<>();
        int i = 0;
        while (i < joined.length()) {
            while (i < joined.length() && !Character.isLetterOrDigit(joined.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < joined.length()
                    && (Character.isLetterOrDigit(joined.charAt(i)) || isInnerApostrophe(joined, i))) {
                i++;
            }
            if (i > start) {
                String word = joined.substring(start, i);
                if (word.endsWith("'s") || word.endsWith("’s")) {
                    word = word.substring(0, word.length() - 2);
                }
                if ((word.length() > 1 || Character.isDigit(word.charAt(0))) && !STOP_WORDS.contains(word)) {
                    terms.add(stem(word));
                }
            }
        }
        return terms;
    }

    private static boolean isInnerApostrophe(String s, int i) {
        char c = s.charAt(i);
        return (c == '\'' || c == '’') && i + 1 < s.length() && Character.isLetter(s.charAt(i + 1));
    }

    static String stem(String word) {
        if (word.length() <= 3 || !isAlphabetic(word)) {
            return word;
        }
        String stem = word;
        for (String suffix : SUFFIXES) {
            if (word.endsWith(suffix) && word.length() - suffix.length() >= 3) {
                if (suffix.equals("s") && (word.endsWith("ss") || word.endsWith("us") || word.endsWith("is"))) {
                    continue;
                }
                stem = word.substring(0, word.length() - suffix.length());
                if (suffix.equals("ies")) {
                    stem += "y";
                }
                break;
            }
        }
        // "stopped" -> "stopp" -> "stop", "running" -> "run"; keep ll/ss/zz ("call", "class").
        int n = stem.length();
        if (n > 3
                && stem.charAt(n - 1) == stem.charAt(n - 2)
                && "lsz".indexOf(stem.charAt(n - 1)) < 0
                && !isVowel(stem.charAt(n - 1))) {
            stem = stem.substring(0, n - 1);
        }
        // "trace" and "traced" meet at "trac".
        if (stem.length() > 3 && stem.endsWith("e")) {
            stem = stem.substring(0, stem.length() - 1);
        }
        return stem;
    }

    private static boolean isAlphabetic(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (!Character.isLetter(word.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isVowel(char c) {
        return "aeiouy".indexOf(c) >= 0;
    }
}
