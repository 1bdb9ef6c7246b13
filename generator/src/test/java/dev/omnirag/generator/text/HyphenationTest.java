package dev.omnirag.generator.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HyphenationTest {

    @Test
    void aWordBrokenAcrossLinesIsJoinedAndOtherBreaksStay() {
        assertThat(Hyphenation.join("an existing JavaScript in-\nterpreter, Spi- \n derMonkey.\nNext line"))
                .isEqualTo("an existing JavaScript interpreter, SpiderMonkey.\nNext line");
    }

    @Test
    void brokenWordsAreListedWholeForAKeywordIndex() {
        assertThat(Hyphenation.brokenWords(
                        "an existing JavaScript in-\nterpreter, Spi- \n derMonkey and the boundary-\n"
                                + "layer; Trace-\nMonkey; a well-known case"))
                .containsExactly("interpreter", "SpiderMonkey", "boundarylayer");
        assertThat(Hyphenation.brokenWords("no breaks here")).isEmpty();
    }

    @Test
    void aCompoundBrokenAtItsHyphenKeepsItWhereAPartHasADigitOrAHyphenOfItsOwn() {
        assertThat(Hyphenation.join(
                        "the 3d-\nraytrace and date-format-\ntofte and math-\nspectral-norm tests, a pro-\ngram"))
                .isEqualTo("the 3d-raytrace and date-format-tofte and math-spectral-norm tests, a program");
    }

    @Test
    void aHyphenBeforeACapitalIsTheWordsOwnAndStays() {
        assertThat(Hyphenation.join("the tracing VM Trace-\nMonkey runs"))
                .isEqualTo("the tracing VM Trace-Monkey runs");
    }

    @Test
    void hyphensInsideALineAreUntouched() {
        assertThat(Hyphenation.join("a 2x-20x speed-up - really")).isEqualTo("a 2x-20x speed-up - really");
    }
}
