package dev.omnirag.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClaimsTest {

    private static Citation citation(int n, boolean verified) {
        return new Citation(n, 0, "c", "q", 0, 1, "claim", verified, verified ? 0.9 : 0.3);
    }

    @Test
    void markersAfterASentenceEndBelongToThatSentence() {
        List<Claims.Sentence> s = Claims.sentences("TraceMonkey is fast. [1] It traces loops [2]. Done.");
        assertThat(s)
                .extracting(Claims.Sentence::text)
                .containsExactly("TraceMonkey is fast. [1] ", "It traces loops [2]. ", "Done.");
    }

    @Test
    void linesAreSeparateSentencesAndMarkerOnlyLinesDoNotCount() {
        List<Claims.Sentence> s = Claims.sentences("- first point [1]\n- second point\n[2]");
        assertThat(s).extracting(Claims.Sentence::text).containsExactly("- first point [1]", "- second point");
    }

    @Test
    void aNumberedListItemIsOneSentenceWithItsMarkerAndItsClaimIsWithoutIt() {
        List<Claims.Sentence> s = Claims.sentences("1. Dr. Lena Ortiz leads the project [1]. 2. The budget is 3.5 M.");
        assertThat(s)
                .extracting(Claims.Sentence::text)
                .containsExactly("1. Dr. Lena Ortiz leads the project [1]. ", "2. The budget is 3.5 M.");
        assertThat(Claims.claimBefore("Team:\n1. Project lead: Dr. Lena Ortiz"))
                .isEqualTo("Project lead: Dr. Lena Ortiz");
    }

    @Test
    void groundedIsTheShareOfSentencesWithAVerifiedCitation() {
        String answer = "Alpha is first [1]. Beta is second [2]. Gamma has no source. Delta is fourth [1][2].";
        assertThat(Claims.groundedRatio(answer, List.of(citation(1, true), citation(2, false))))
                .isEqualTo(0.5);
        assertThat(Claims.groundedRatio(answer, List.of(citation(1, false), citation(2, false))))
                .isEqualTo(0.0);
        assertThat(Claims.groundedRatio("", List.of())).isEqualTo(0.0);
        assertThat(Claims.groundedRatio("One sentence [1].", List.of(citation(1, true))))
                .isEqualTo(1.0);
    }

    @Test
    void theClaimOfAMarkerIsTheLastSentenceBeforeItWithoutMarkers() {
        assertThat(Claims.claimBefore("Intro sentence. TraceMonkey gives a 2x-20x speedup "))
                .isEqualTo("TraceMonkey gives a 2x-20x speedup");
        assertThat(Claims.claimBefore("Intro. It is fast [1] and small.")).isEqualTo("It is fast and small.");
        assertThat(Claims.claimBefore("It is fast. [1]")).isEqualTo("It is fast.");
        assertThat(Claims.claimBefore("First claim. [1] Second claim")).isEqualTo("Second claim");
        assertThat(Claims.claimBefore("Heading\n1. Loops are traced")).isEqualTo("Loops are traced");
        assertThat(Claims.claimBefore("")).isEmpty();
        assertThat(Claims.claimBefore("  [1] ")).isEmpty();
    }
}
