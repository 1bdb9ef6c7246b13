package dev.omnirag.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnirag.generator.text.SentenceSplitter;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentencesTest {

    private static List<String> sentences(String text) {
        return Sentences.split(text, SentenceSplitter.english()).stream()
                .map(s -> text.substring(s.start(), s.end()))
                .toList();
    }

    @Test
    void abbreviationsAndInitialsDoNotEndASentence() {
        String text = "The project lead is Dr. Lena Ortiz of the wind tunnel group. As Fig. 3 shows, Smith et al. "
                + "found the same drag rise. J. Smith measured it in the U.S. Navy tunnel in Oct. 1998. "
                + "Version 3.5 of the code, e.g. the solver, is faster. It ran twice that week.";

        assertThat(sentences(text))
                .containsExactly(
                        "The project lead is Dr. Lena Ortiz of the wind tunnel group.",
                        "As Fig. 3 shows, Smith et al. found the same drag rise.",
                        "J. Smith measured it in the U.S. Navy tunnel in Oct. 1998.",
                        "Version 3.5 of the code, e.g. the solver, is faster.",
                        "It ran twice that week.");
    }

    @Test
    void aSentenceEndingInAColonLeadsInToTheListUnderItWithItsWrappedItemsAndNothingAfter() {
        String text = "To replace the filter:\n1. Switch the unit off and unplug\nit from the wall.\n2. Open the cover."
                + "\n\n- Keep the old filter for recycling.\n\nThe unit restarts on its own.";
        int lead = text.indexOf(':') + 1;

        assertThat(text.substring(0, Sentences.listAfter(text, 0, lead)))
                .isEqualTo(
                        "To replace the filter:\n1. Switch the unit off and unplug\nit from the wall.\n2. Open the cover."
                                + "\n\n- Keep the old filter for recycling.");
        assertThat(Sentences.listDisplay(text, 0, lead, Sentences.listAfter(text, 0, lead)))
                .isEqualTo(
                        "To replace the filter:\n1. Switch the unit off and unplug it from the wall.\n2. Open the cover."
                                + "\n- Keep the old filter for recycling.");
        String word = "You need:\n· a modem\n• the letter";
        assertThat(Sentences.listDisplay(word, 0, 9, Sentences.listAfter(word, 0, 9)))
                .isEqualTo("You need:\n- a modem\n- the letter");
        assertThat(Sentences.listAfter("Note: the cover is fragile.\nIt breaks.", 0, 5))
                .isEqualTo(-1);
        assertThat(Sentences.listAfter("It needs three things:\nwater, salt and time.", 0, 22))
                .isEqualTo(-1);
        assertThat(Sentences.listAfter(text, 0, 10)).as("no colon").isEqualTo(-1);
    }

    @Test
    void keepsSentencesThatBreakAcrossLinesWhole() {
        String text =
                "We implemented these techniques for an existing JavaScript in-\nterpreter, SpiderMonkey. We call the "
                        + "resulting tracing VM Trace-\nMonkey.\n";

        assertThat(sentences(text))
                .containsExactly(
                        "We implemented these techniques for an existing JavaScript in-\nterpreter, SpiderMonkey.",
                        "We call the resulting tracing VM Trace-\nMonkey.");
    }

    @Test
    void offsetsAreExactAndTrimmed() {
        String text = "  \n  The first sentence has five words.   \n\n   And the second one has six words.  ";

        for (Sentences.Span span : Sentences.split(text, SentenceSplitter.english())) {
            String sentence = text.substring(span.start(), span.end());
            assertThat(sentence).isEqualTo(sentence.strip()).isNotEmpty();
        }
        assertThat(sentences(text))
                .containsExactly("The first sentence has five words.", "And the second one has six words.");
    }

    @Test
    void skipsShortFragmentsAndTables() {
        String text = "Abstract\nPage 3\n3d-cube 25 27 29 3 0 1.1 1.1 1.2 2.20x\nx = (a + b) * 2 / {c}; y = 3;\n"
                + "This line is a real sentence with words.";

        assertThat(sentences(text)).containsExactly("This line is a real sentence with words.");
    }

    @Test
    void startsNewSentencesAtHeadingsBulletsAndBlankLines() {
        String text = """
                This long line of running text is here to set the typical width of a line in
                the page, so that shorter lines look like headings to the splitter of text.
                1. Introduction
                Dynamic languages such as JavaScript are popular and widely used.
                • We explain an algorithm for forming trace trees
                • We validate our tracing techniques in an implementation

                A new paragraph starts here after the blank line""";

        assertThat(sentences(text))
                .containsExactly(
                        "This long line of running text is here to set the typical width of a line in\nthe page, so that shorter "
                                + "lines look like headings to the splitter of text.",
                        "Dynamic languages such as JavaScript are popular and widely used.",
                        "We explain an algorithm for forming trace trees",
                        "We validate our tracing techniques in an implementation",
                        "A new paragraph starts here after the blank line");
    }

    @Test
    void cutsOverlongSentencesAtLineBreaks() {
        StringBuilder table = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            table.append("row ").append(i).append(" holds several plain words without any stop\n");
        }

        List<Sentences.Span> spans = Sentences.split(table.toString(), SentenceSplitter.english());

        assertThat(spans)
                .hasSizeGreaterThan(1)
                .allSatisfy(s -> assertThat(s.end() - s.start()).isLessThanOrEqualTo(Sentences.MAX_CHARS));
    }

    @Test
    void displayJoinsHyphenatedWordsAndCollapsesWhitespace() {
        assertThat(Sentences.display("features of Spi-\nderMonkey, with a\n 2x-20x  speedup"))
                .isEqualTo("features of SpiderMonkey, with a 2x-20x speedup");
        assertThat(Sentences.display("tracing VM Trace-\nMonkey.")).isEqualTo("tracing VM Trace-Monkey.");
    }

    @Test
    void aFormsFieldLinesAreCandidatesThoughShortAndNumeric() {
        String text = "Insurance claim form\nName of insured: Lena Ortiz\nPolicy number: 88-4411\n12 | 13\n";
        assertThat(sentences(text)).containsExactly("Name of insured: Lena Ortiz", "Policy number: 88-4411");
    }
}
