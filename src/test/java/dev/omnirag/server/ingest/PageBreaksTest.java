package dev.omnirag.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnirag.server.pages.QuoteBoxes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PageBreaksTest {

    private static List<String> mended(String first, String second, Set<Integer> scans) {
        return PageBreaks.mend(List.of(new ParsedDocument.Page(1, first), new ParsedDocument.Page(2, second)), scans)
                .stream()
                .map(ParsedDocument.Page::text)
                .toList();
    }

    @Test
    void theEndOfASentenceCutByThePageBreakMovesToThePageItStartsOn() {
        List<String> pages = mended(
                "Intro.\n\nIn the third year the wheat yield was higher than\nthe fallow plots' yield by\n\n",
                "fourteen percent, and the rye plots'\nby nine percent. Weeds were fewer.\n\nMethods\n");

        assertThat(pages.get(0))
                .isEqualTo("Intro.\n\nIn the third year the wheat yield was higher than\nthe fallow plots' yield by\n"
                        + "fourteen percent, and the rye plots'\nby nine percent.\n");
        assertThat(pages.get(1)).isEqualTo("Weeds were fewer.\n\nMethods\n");
    }

    @Test
    void pagesThatEndASentenceOrDoNotGoOnWithOneKeepTheirText() {
        String ended = "The yield was weighed in June.\n";
        String runsOn = "The yield of the clover plots was higher than the fallow plots' by\n";
        // the first page ends a sentence (a note's raised number after it too)
        assertThat(mended(ended, "fourteen percent.\n")).containsExactly(ended, "fourteen percent.\n");
        assertThat(mended("It was weighed in June.²\n", "fourteen percent.\n"))
                .containsExactly("It was weighed in June.²\n", "fourteen percent.\n");
        // a page number or a short heading is no sentence running on
        assertThat(mended("Text.\n\n12\n", "fourteen percent.\n"))
                .containsExactly("Text.\n\n12\n", "fourteen percent.\n");
        // the next page starts a sentence of its own
        assertThat(mended(runsOn, "Fourteen percent.\n")).containsExactly(runsOn, "Fourteen percent.\n");
        // the next page's first paragraph ends no sentence
        assertThat(mended(runsOn, "fourteen percent\n\nMethods.\n"))
                .containsExactly(runsOn, "fourteen percent\n\nMethods.\n");
    }

    @Test
    void scannedPagesKeepTheirWordsWhereOcrFoundThem() {
        String runsOn = "The yield of the clover plots was higher than the fallow plots' by\n";
        assertThat(mended(runsOn, "fourteen percent. Weeds.\n", Set.of(2)))
                .containsExactly(runsOn, "fourteen percent. Weeds.\n");
    }

    @Test
    void aQuoteOfASentenceThatRunsOnToTheNextPageIsHighlightedOnItsFirstPage(@TempDir Path tmp) throws IOException {
        Path study = tmp.resolve("study.pdf");
        dev.omnirag.server.eval.ParsingDevSet.fieldStudy(study);
        String sentence = "In the third year the plots sown with clover gave a wheat yield that was higher than the"
                + " yield of the fallow plots, measured at the same farm and in the same week, by fourteen percent,"
                + " and the rye plots by nine percent.";

        List<QuoteBoxes.Box> boxes = QuoteBoxes.find(study, 1, sentence);

        // its two lines on page 1; the rest is on page 2
        assertThat(boxes).hasSize(2);
        assertThat(boxes.get(1).y()).isGreaterThan(boxes.get(0).y());
        // a quote from another page is not guessed at
        assertThat(QuoteBoxes.find(study, 1, "Weeds were fewer under rye than under any other cover crop."))
                .isEmpty();
        // raised digits, written as superscripts in the page text, are found as the page prints them
        assertThat(QuoteBoxes.find(study, 1, "The bacterial count under clover reached 4 × 10⁸ cells per gram"))
                .hasSize(1);
    }

    private static List<String> mended(String first, String second) {
        return mended(first, second, Set.of());
    }
}
