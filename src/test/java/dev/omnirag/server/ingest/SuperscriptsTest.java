package dev.omnirag.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuperscriptsTest {

    private static final List<Superscripts.Run> RUNS = List.of(
            new Superscripts.Run("usly", "12"),
            new Superscripts.Run("zzz", "7"), // not in the text: skipped, the runs after it still found
            new Superscripts.Run("d.", "3,4", false, true), // set a little apart: the text layer put a space
            new Superscripts.Run("10", "-6"));

    @Test
    void eachRunIsRaisedWhereItsWordIsAndARunNotFoundChangesNothing() {
        String text = "Shown previously12 and 2012 again. It ended. 3,4 Risks of 10-6 remain; previously12 once more.";

        assertThat(Superscripts.apply(text, RUNS, false))
                .isEqualTo(
                        "Shown previously¹² and 2012 again. It ended.³,⁴ Risks of 10⁻⁶ remain; previously12 once more.");
        // keeping every offset: the space the text layer put before a run stays
        String same = Superscripts.apply(text, RUNS, true);
        assertThat(same).hasSameSizeAs(text).contains("ended. ³,⁴ Risks");
    }

    @Test
    void onlyDigitsWithCommasAndDashesAreRuns() {
        assertThat(List.of("12", "1,3", "3–5", "-6", "2"))
                .allSatisfy(s -> assertThat(Superscripts.isRun(s)).as(s).isTrue());
        assertThat(List.of("st", "[5]", "a", "1,", "", "12a"))
                .allSatisfy(s -> assertThat(Superscripts.isRun(s)).as(s).isFalse());
        assertThat(Superscripts.raise("1,3–5")).isEqualTo("¹,³⁻⁵");
    }

    @Test
    void aRunIsFoundAfterItsWholeWordNotInsideAnotherOrAfterASpaceTheLineDidNotHave() {
        String text =
                "Samples came from 2 sites, see box 2 and 2106 plots; each covered 240 m2 of 10 6 fields and 106 more.";
        List<Superscripts.Run> runs = List.of(
                new Superscripts.Run("m", "2", true, false), // "m²": not "from 2"
                new Superscripts.Run("10", "6", true, true)); // "10⁶" set a little apart: not "2106"

        assertThat(Superscripts.apply(text, runs, false))
                .isEqualTo("Samples came from 2 sites, see box 2 and 2106 plots; each covered 240 m² of 10⁶ fields and"
                        + " 106 more.");
        // a word right after a spaced run keeps its space ("the ¹⁴C")
        assertThat(Superscripts.apply(
                        "dated by the 14C method", List.of(new Superscripts.Run("the", "14", true, true)), false))
                .isEqualTo("dated by the ¹⁴C method");
    }

    @Test
    void aNotesNumberIsStrippedFromALinesEndButACommaAloneIsNot() {
        assertThat(Superscripts.withoutNoteMark("as shown before.¹,²")).isEqualTo("as shown before.");
        assertThat(Superscripts.withoutNoteMark("exports to the U.S.,")).isEqualTo("exports to the U.S.,");
        assertThat(Superscripts.withoutNoteMark(",".repeat(50_000) + "x")).endsWith("x");
    }
}
