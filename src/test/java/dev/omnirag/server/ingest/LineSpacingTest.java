package dev.omnirag.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LineSpacingTest {

    private static String join(String text) {
        return LineSpacing.join(new ParsedDocument.Page(1, text)).text();
    }

    @Test
    void blankLinesInsideSentencesAreLineSpacingAndGoWhereNoSentenceEndsBeforeThem() {
        String spaced = "5 Resetting the router\n\nTo restore the factory settings, hold the button for ten\n\n"
                + "seconds until the light flashes. All of your settings,\n\nincluding the password, are erased.\n\n"
                + "The router then restarts.";

        assertThat(join(spaced))
                .isEqualTo("5 Resetting the router\nTo restore the factory settings, hold the button for ten\n"
                        + "seconds until the light flashes. All of your settings,\nincluding the password, are erased.\n\n"
                        + "The router then restarts.");
    }

    @Test
    void blankLinesBetweenParagraphsStay() {
        String paragraphs = "The first paragraph ends here.\n\nThe second one starts with a capital and\n"
                + "runs on to a second line.\n\nA third paragraph, and a fourth\n\nNo, this is a heading";

        assertThat(join(paragraphs)).isEqualTo(paragraphs);
    }

    @Test
    void aColumnThatEndsMidSentenceGoesOnWithItsSentenceOnAPageOfParagraphs() {
        String page =
                "Tracing compilers record hot loops.\n\nIdeally, the trace reaches the loop header where it started"
                        + " with\n\nthe same type map as on entry. This is called a type-stable loop.\n\nThe next paragraph"
                        + " starts here.";
        assertThat(join(page))
                .isEqualTo("Tracing compilers record hot loops.\n\nIdeally, the trace reaches the loop header where it"
                        + " started with\nthe same type map as on entry. This is called a type-stable loop.\n\nThe next"
                        + " paragraph starts here.");

        // a page number above a line in lower case is no sentence running on
        String numbered = "The first paragraph ends here.\n\n12\n\nrecords of the page number above.";
        assertThat(join(numbered)).isEqualTo(numbered);
    }
}
