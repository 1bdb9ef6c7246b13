package dev.omnirag.generator.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SentenceSplitterTest {

    private static final SentenceSplitter SPLITTER = SentenceSplitter.english();

    private static List<String> sentences(String text) {
        return SPLITTER.sentences(text);
    }

    @Test
    void aTitleBeforeANameDoesNotEndTheSentence() {
        assertThat(sentences("Project lead: Dr. Lena Ortiz. She joined in 2021."))
                .containsExactly("Project lead: Dr. Lena Ortiz.", "She joined in 2021.");
    }

    @Test
    void abbreviationsAndInitialsEndNoSentence() {
        String text = "Smith et al. showed it in Fig. 3 of the U.S. report, e.g. for Mach 2. J. Smith agreed. "
                + "Results i.e. The numbers held.";
        assertThat(sentences(text))
                .containsExactly(
                        "Smith et al. showed it in Fig. 3 of the U.S. report, e.g. for Mach 2.",
                        "J. Smith agreed.",
                        "Results i.e. The numbers held.");
    }

    @Test
    void numberAbbreviationsEndNoSentenceOnlyBeforeANumber() {
        assertThat(sentences("See No. 5 Road for details. No. It was not there."))
                .containsExactly("See No. 5 Road for details.", "No.", "It was not there.");
    }

    @Test
    void decimalsAndVersionsStayInTheirSentence() {
        assertThat(sentences("Throughput rose 3.5 times in v1.2.3 of the engine. Version 2.0 followed."))
                .containsExactly("Throughput rose 3.5 times in v1.2.3 of the engine.", "Version 2.0 followed.");
    }

    @Test
    void aCitationsRaisedNumberAfterThePeriodStaysWithTheSentenceItEnds() {
        assertThat(sentences("Yields rose as shown before.¹² The plots were dry.³⁻⁵ Rain fell at 3 × 10⁶ drops.¹,⁴"))
                .containsExactly(
                        "Yields rose as shown before.¹²", "The plots were dry.³⁻⁵", "Rain fell at 3 × 10⁶ drops.¹,⁴");
        assertThat(sentences("The plots were watered daily.²\nThe yield was weighed."))
                .containsExactly("The plots were watered daily.²", "The yield was weighed.");
        // a comma alone is no note's number: the sentence runs on to the next line
        assertThat(sentences("Most of the harvest was exported to the U.S.,\nCanada and Mexico in the first year."))
                .containsExactly("Most of the harvest was exported to the U.S.,\nCanada and Mexico in the first year.");
    }

    @Test
    void listItemsAreSentencesWithTheirMarkers() {
        String text = "Steps to follow:\n1. Open the valve slowly\n2. Read the gauge\n- check the seal\n(a) log it"
                + "\n· a Word bullet as Tika writes it";
        assertThat(sentences(text))
                .containsExactly(
                        "Steps to follow:",
                        "1. Open the valve slowly",
                        "2. Read the gauge",
                        "- check the seal",
                        "(a) log it",
                        "· a Word bullet as Tika writes it");
        assertThat(SentenceSplitter.isListItem("  · a modem")).isTrue();
        assertThat(SentenceSplitter.isListItem("Steps to follow:")).isFalse();
    }

    @Test
    void tableRowsAreSentencesOfTheirOwn() {
        String text =
                "Revenue by region.\nRegion | Revenue | Growth\nNorth | 12.5 | 3%\nSouth\t9.1\t2%\nAfter the table we "
                        + "conclude.";
        assertThat(sentences(text))
                .containsExactly(
                        "Revenue by region.",
                        "Region | Revenue | Growth",
                        "North | 12.5 | 3%",
                        "South\t9.1\t2%",
                        "After the table we conclude.");
    }

    @Test
    void aFormsFieldLinesAreSentencesButAColonInWrappedProseIsNot() {
        assertThat(sentences("Claim form\nName of insured: Lena Ortiz\nPolicy number: 88-4411\nSigned below"))
                .containsExactly("Claim form", "Name of insured: Lena Ortiz", "Policy number: 88-4411", "Signed below");
        assertThat(sentences("The results were as follows: the first engine\nwas faster than the second one."))
                .containsExactly("The results were as follows: the first engine\nwas faster than the second one.");
    }

    @Test
    void aSentenceBrokenAcrossLinesStaysWhole() {
        String text = "The tracing compiler records hot loops and\ncompiles them to native code. Then it runs them.";
        assertThat(sentences(text))
                .containsExactly(
                        "The tracing compiler records hot loops and\ncompiles them to native code.",
                        "Then it runs them.");
    }

    @Test
    void headingsAndBlankLinesStartNewSentences() {
        String text = "Introduction\nThe first paragraph starts here and runs on for a while to be long enough\n\n"
                + "second paragraph in lower case";
        assertThat(sentences(text))
                .containsExactly(
                        "Introduction",
                        "The first paragraph starts here and runs on for a while to be long enough",
                        "second paragraph in lower case");
    }

    @Test
    void spansAreExactTrimmedOrderedAndCoverEveryWord() {
        long seed = System.nanoTime();
        System.out.println("SentenceSplitterTest seed=" + seed);
        Random random = new Random(seed);
        String[] pieces = {
            "Dr. ",
            "Ortiz",
            " said",
            ". ",
            "\n",
            "\n\n",
            "1. ",
            "- ",
            "a | b | c",
            "\t",
            "3.5",
            " e.g. ",
            "The",
            " end",
            "? ",
            "No. ",
            "7",
            "  ",
            "(a) ",
            "Fig. 2",
            "ü",
            "!"
        };
        for (int round = 0; round < 500; round++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(40);
            for (int i = 0; i < n; i++) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            String text = sb.toString();
            List<SentenceSplitter.Span> spans = SPLITTER.split(text);
            int previousEnd = 0;
            StringBuilder covered = new StringBuilder();
            for (SentenceSplitter.Span span : spans) {
                assertThat(span.start()).as("seed %d, text %s", seed, text).isGreaterThanOrEqualTo(previousEnd);
                assertThat(text.substring(previousEnd, span.start()))
                        .as("seed %d", seed)
                        .isBlank();
                String sentence = span.in(text);
                assertThat(sentence).as("seed %d", seed).isNotEmpty().isEqualTo(sentence.strip());
                covered.append(sentence);
                previousEnd = span.end();
            }
            assertThat(text.substring(previousEnd)).as("seed %d", seed).isBlank();
            assertThat(covered.toString().replaceAll("\\s", ""))
                    .as("seed %d", seed)
                    .isEqualTo(text.replaceAll("\\s", ""));
        }
    }

    @Test
    void blankTextHasNoSentences() {
        assertThat(SPLITTER.split("")).isEmpty();
        assertThat(SPLITTER.split(" \n\t ")).isEmpty();
    }

    @Test
    void builderRejectsBadSettingsNamingThem() {
        assertThatThrownBy(() -> SentenceSplitter.builder().locale(null).build())
                .hasMessage("locale must not be null; locale=null");
        assertThatThrownBy(() -> SentenceSplitter.builder().headingShare(1.5).build())
                .hasMessage("headingShare must be in 0..1; headingShare=1.5");
        assertThatThrownBy(() ->
                        SentenceSplitter.builder().abbreviations(Set.of("Dr")).build())
                .hasMessage("each abbreviation must end in a period; abbreviation=Dr");
    }
}
