package dev.omnirag.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordsTest {

    private static final Source SOURCE = new Source("chunk-1", "Alpha beta. Gamma delta.", "a.pdf, page 1");

    @Test
    void requestRequiresANonBlankQuestionAndSources() {
        assertThatThrownBy(() -> new GenerationRequest(" ", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("question");
        assertThatThrownBy(() -> new GenerationRequest(null, List.of())).hasMessageContaining("question=null");
        assertThatThrownBy(() -> new GenerationRequest("why?", null)).hasMessageContaining("sources");
        assertThatThrownBy(() -> new GenerationRequest("why?", Arrays.asList(SOURCE, null)))
                .hasMessageContaining("sources[1]=null");
        assertThatThrownBy(() -> new GenerationRequest("why?", List.of(), Arrays.asList((ChatTurn) null)))
                .hasMessageContaining("history[0]=null");
    }

    @Test
    void requestTreatsMissingHistoryAsEmptyAndCopiesItsLists() {
        List<Source> sources = new ArrayList<>(List.of(SOURCE));
        GenerationRequest request = new GenerationRequest("why?", sources, null);
        sources.clear();

        assertThat(request.history()).isEmpty();
        assertThat(request.sources()).containsExactly(SOURCE);
    }

    @Test
    void sourceRequiresIdAndTextAndDefaultsTheLabel() {
        assertThatThrownBy(() -> new Source("", "text", null)).hasMessageContaining("id");
        assertThatThrownBy(() -> new Source("id", null, null)).hasMessageContaining("text");
        assertThat(new Source("id", "text", null).label()).isEmpty();
        assertThat(new Source("id", "").text()).isEmpty();
    }

    @Test
    void chatTurnAcceptsOnlyUserAndAssistant() {
        assertThat(ChatTurn.user("hi").role()).isEqualTo("user");
        assertThat(ChatTurn.assistant("hello").role()).isEqualTo("assistant");
        assertThatThrownBy(() -> new ChatTurn("system", "x"))
                .hasMessage("role must be user or assistant; role=\"system\"");
        assertThatThrownBy(() -> new ChatTurn("user", null)).hasMessageContaining("content");
    }

    @Test
    void citationValidatesNumberAndOffsets() {
        assertThatThrownBy(() -> new Citation(0, 0, "c", "", 0, 0)).hasMessage("n must be at least 1; n=0");
        assertThatThrownBy(() -> new Citation(1, -1, "c", "", 0, 0)).hasMessageContaining("sourceIndex=-1");
        assertThatThrownBy(() -> new Citation(1, 0, " ", "", 0, 0)).hasMessageContaining("sourceId");
        assertThatThrownBy(() -> new Citation(1, 0, "c", "", -1, 0)).hasMessageContaining("quoteStart=-1");
        assertThatThrownBy(() -> new Citation(1, 0, "c", "", 5, 4)).hasMessageContaining("quoteStart=5, quoteEnd=4");
        assertThatThrownBy(() -> new Citation(1, 0, "c", "abc", 0, 2)).hasMessageContaining("quote");
        assertThat(new Citation(2, 0, "c", "ab", 3, 5).marker()).isEqualTo("[2]");
    }

    @Test
    void citationOfQuotesTheSourceExactly() {
        Citation c = Citation.of(1, 0, SOURCE, 12, 24);

        assertThat(c.quote()).isEqualTo("Gamma delta.");
        assertThat(c.sourceId()).isEqualTo("chunk-1");
        assertThatThrownBy(() -> Citation.of(1, 0, SOURCE, 12, 25)).hasMessageContaining("quoteEnd=25");
    }

    @Test
    void answerReasonGoesWithFallbackOnly() {
        Answer normal = new Answer("text", null);
        assertThat(normal.citations()).isEmpty();
        assertThat(normal.fallback()).isFalse();
        assertThat(normal.fallbackReason()).isNull();
        assertThat(normal.asFallback("LLM unreachable").fallbackReason()).isEqualTo("LLM unreachable");
        assertThatThrownBy(() -> new Answer("t", List.of(), true, " ")).hasMessageContaining("fallbackReason");
        assertThatThrownBy(() -> new Answer("t", List.of(), false, "why")).hasMessageContaining("fallbackReason");
        assertThatThrownBy(() -> new Answer(null, List.of())).hasMessageContaining("text");
    }

    @Test
    void generationExceptionsTellWhetherToRetry() {
        GenerationException retriable = new GenerationException.Retriable("busy", null);
        GenerationException fatal = new GenerationException.NonRetriable("bad model");

        assertThat(retriable.isRetriable()).isTrue();
        assertThat(fatal.isRetriable()).isFalse();
        assertThat(fatal).isInstanceOf(RuntimeException.class);
    }

    @Test
    void citationCarriesItsClaimAndVerdict() {
        Citation c = Citation.of(1, 0, SOURCE, 12, 24, "Gamma is delta.", false, 0.4);
        assertThat(c.claim()).isEqualTo("Gamma is delta.");
        assertThat(c.verified()).isFalse();
        assertThat(c.withNumber(3).n()).isEqualTo(3);
        assertThat(c.withNumber(3).claim()).isEqualTo("Gamma is delta.");
        Citation verbatim = Citation.of(1, 0, SOURCE, 12, 24);
        assertThat(verbatim.verified()).isTrue();
        assertThat(verbatim.claim()).isEqualTo(verbatim.quote());
        assertThatThrownBy(() -> new Citation(1, 0, "c", "ab", 0, 2, null, true, 1.0))
                .hasMessage("claim must not be null; n=1");
        assertThatThrownBy(() -> new Citation(1, 0, "c", "ab", 0, 2, "x", true, 1.5))
                .hasMessage("support must be in 0.0..1.0; support=1.5");
    }

    @Test
    void answerComputesItsGroundedRatioAndValidatesIt() {
        Citation verified = Citation.of(1, 0, SOURCE, 0, 11);
        assertThat(new Answer("Alpha beta [1]. Nothing here.", List.of(verified)).grounded())
                .isEqualTo(0.5);
        assertThat(new Answer("Alpha beta [1].", List.of(verified))
                        .asFallback("down")
                        .grounded())
                .isEqualTo(1.0);
        assertThatThrownBy(() -> new Answer("t", List.of(), 1.5, false, null))
                .hasMessage("grounded must be in 0.0..1.0; grounded=1.5");
    }

    @Test
    void sourceAcceptsOnlyDataOrHttpImageUrls() {
        assertThat(new Source("i", "", "a.png", "data:image/png;base64,AAAA").hasImage())
                .isTrue();
        assertThat(new Source("i", "", "a.png", "https://example.org/a.png").hasImage())
                .isTrue();
        assertThat(new Source("i", "text").hasImage()).isFalse();
        assertThatThrownBy(() -> new Source("i", "", "a.png", "file:///etc/passwd"))
                .hasMessageContaining("imageUrl must be a data:image/ URL or an http(s) URL");
    }
}
