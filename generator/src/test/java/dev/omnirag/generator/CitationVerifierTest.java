package dev.omnirag.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnirag.embeddings.OnnxTextEmbedder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The verifier on the TraceMonkey paper with the real bge-small embedder: what it accepts and what it flags. */
class CitationVerifierTest {

    private static OnnxTextEmbedder embedder;
    private static CitationVerifier verifier;
    private static List<Source> sources;

    @BeforeAll
    static void load() {
        embedder = OnnxTextEmbedder.bgeSmallEnV15();
        verifier = CitationVerifier.builder().embedder(embedder).build();
        sources = new ArrayList<>();
        sources.addAll(TraceMonkeyPdf.chunks(1, 1200));
        sources.addAll(TraceMonkeyPdf.chunks(2, 1200));
        sources.addAll(TraceMonkeyPdf.chunks(9, 1200));
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    private static int sourceWith(String needle) {
        for (int i = 0; i < sources.size(); i++) {
            if (sources.get(i).text().contains(needle)) {
                return i;
            }
        }
        throw new AssertionError("no chunk contains " + needle);
    }

    private static CitationVerifier.Verification check(String claim, int source) {
        CitationVerifier.Verification v = verifier.session(sources).verify(claim, source);
        System.out.printf(
                "support=%.3f similarity=%.3f lexical=%.2f numbers=%s verified=%s  %s -> %s%n",
                v.support(),
                v.similarity(),
                v.lexical(),
                v.numbersFound(),
                v.verified(),
                claim,
                Sentences.display(sources.get(source).text().substring(v.quoteStart(), v.quoteEnd())));
        return v;
    }

    @Test
    void paraphrasedSupportedClaimsAreVerifiedAndQuoteTheSupportingSentence() {
        int speedup = sourceWith("2x-20x");
        CitationVerifier.Verification v = check("TraceMonkey gives a 2x-20x speedup for traceable programs.", speedup);
        assertThat(v.verified()).isTrue();
        assertThat(sources.get(speedup).text().substring(v.quoteStart(), v.quoteEnd()))
                .contains("2x-20x");
        assertThat(check("For programs that can be traced, TraceMonkey is 2x-20x faster.", speedup)
                        .verified())
                .isTrue();
        assertThat(check("TraceMonkey supports every JavaScript feature that SpiderMonkey has.", speedup)
                        .verified())
                .isTrue();
        assertThat(check("It gives a 2x-20x speedup for traceable programs", speedup)
                        .verified())
                .isTrue();
        assertThat(check(
                                "Looking up a loop in the trace cache makes incrementing its hit counter costly.",
                                sourceWith("loop hit counter"))
                        .verified())
                .isTrue();
        assertThat(check(
                                "Trace stitching is noticeably costly for branchy trace trees made of small traces.",
                                sourceWith("noticeable cost"))
                        .verified())
                .isTrue();
    }

    @Test
    void aClaimCitedToAPassageThatDoesNotSayItIsFlagged() {
        int speedup = sourceWith("2x-20x");
        int other = sourceWith("Abstract");
        assertThat(other).isNotEqualTo(speedup);
        assertThat(check("Penguins huddle together to survive the Antarctic winter.", speedup)
                        .verified())
                .isFalse();
        assertThat(check("The recipe needs two cups of flour and three eggs.", other)
                        .verified())
                .isFalse();
    }

    @Test
    void aClaimFromThePaperCitedToAnotherPassageOfThePaperIsFlagged() {
        int page9 = sources.size() - 1;
        assertThat(sources.get(page9).label()).endsWith("page 9");
        for (int i = sources.size() - 1; sources.get(i).label().endsWith("page 9"); i--) {
            assertThat(check("TraceMonkey supports every JavaScript feature that SpiderMonkey has.", i)
                            .verified())
                    .isFalse();
            assertThat(check("A trace tree is compiled to machine code once a loop becomes hot.", i)
                            .verified())
                    .isFalse();
            assertThat(check("Dynamic languages such as JavaScript are hard to compile efficiently.", i)
                            .verified())
                    .isFalse();
        }
    }

    @Test
    void aFigureTheSourceDoesNotStateIsFlaggedEvenWhenTheWordsMatch() {
        int speedup = sourceWith("2x-20x");
        CitationVerifier.Verification v = check("TraceMonkey gives a 50x-90x speedup for traceable programs.", speedup);
        assertThat(v.numbersFound()).isFalse();
        assertThat(v.verified()).isFalse();
    }

    @Test
    void emptyClaimsAndEmptySourcesAreNotVerified() {
        List<Source> withEmpty = List.of(new Source("img", "", "photo.png"));
        assertThat(verifier.session(withEmpty).verify("A cat sits on a mat.", 0).verified())
                .isFalse();
        assertThat(verifier.session(sources).verify(" ", 0).verified()).isFalse();
    }

    @Test
    void aShortSourceWithoutSentencesIsQuotedWhole() {
        List<Source> caption = List.of(new Source("cap", "  Figure 3: trace tree  ", "a.pdf"));
        CitationVerifier.Verification v = verifier.session(caption).verify("Figure 3 shows a trace tree.", 0);
        assertThat(caption.getFirst().text().substring(v.quoteStart(), v.quoteEnd()))
                .isEqualTo("Figure 3: trace tree");
    }

    @Test
    void builderRejectsInvalidParametersNamingThem() {
        assertThatThrownBy(() -> CitationVerifier.builder().build()).hasMessage("embedder is required; embedder=null");
        assertThatThrownBy(() -> CitationVerifier.builder()
                        .embedder(embedder)
                        .minSupport(1.5)
                        .build())
                .hasMessage("minSupport must be in 0.0..1.0; minSupport=1.5");
        assertThatThrownBy(() -> CitationVerifier.builder()
                        .embedder(embedder)
                        .minLexical(-0.1)
                        .build())
                .hasMessage("minLexical must be in 0.0..1.0; minLexical=-0.1");
        assertThatThrownBy(() -> CitationVerifier.builder()
                        .embedder(embedder)
                        .candidateSentences(0)
                        .build())
                .hasMessage("candidateSentences must be in 1..50; candidateSentences=0");
    }
}
