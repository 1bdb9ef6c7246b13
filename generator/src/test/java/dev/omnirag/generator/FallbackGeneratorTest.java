package dev.omnirag.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FallbackGeneratorTest {

    private static final GenerationRequest REQUEST =
            new GenerationRequest("why?", List.of(new Source("s1", "Because the sky scatters blue light.", "sky.txt")));

    /** A generator whose answer is fixed: the stand-in for the extractive one, which needs no server. */
    private static Generator fixed(String name, String text) {
        return new Generator() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Answer generate(GenerationRequest request, AnswerListener listener) {
                Citation c = Citation.of(
                        1,
                        0,
                        request.sources().getFirst(),
                        0,
                        request.sources().getFirst().text().length());
                listener.onCitation(c);
                listener.onDelta(text);
                return new Answer(text, List.of(c));
            }
        };
    }

    /** A generator that streams a little, then fails like a stalled model server. */
    private static Generator failing(boolean afterStreaming) {
        return new Generator() {
            @Override
            public String name() {
                return "openai:m";
            }

            @Override
            public Answer generate(GenerationRequest request, AnswerListener listener) {
                if (afterStreaming) {
                    listener.onDelta("Because");
                }
                throw new GenerationException.Retriable("read timeout", null);
            }
        };
    }

    @Test
    void theFallbackAnswersWhenThePrimaryFailsAndSaysWhy() {
        FallbackGenerator g = new FallbackGenerator(failing(false), fixed("extractive", "Because [1]"));
        OpenAiCompatibleGeneratorTest.Recorder recorder = new OpenAiCompatibleGeneratorTest.Recorder();

        Answer answer = g.generate(REQUEST, recorder);

        assertThat(answer.fallback()).isTrue();
        assertThat(answer.fallbackReason()).isEqualTo("openai:m failed: read timeout");
        assertThat(answer.text()).isEqualTo("Because [1]");
        assertThat(g.nameOf(answer)).isEqualTo("extractive");
        assertThat(recorder.events).containsExactly("citation:1", "delta:Because [1]");
    }

    @Test
    void whenThePrimaryFailsAfterStreamingTheListenerIsToldToRestart() {
        FallbackGenerator g = new FallbackGenerator(failing(true), fixed("extractive", "Because [1]"));
        OpenAiCompatibleGeneratorTest.Recorder recorder = new OpenAiCompatibleGeneratorTest.Recorder();

        Answer answer = g.generate(REQUEST, recorder);

        assertThat(recorder.events).containsExactly("delta:Because", "restart", "citation:1", "delta:Because [1]");
        assertThat(recorder.text.toString()).isEqualTo(answer.text());
    }

    @Test
    void aWorkingPrimaryAnswersAlone() {
        FallbackGenerator g = new FallbackGenerator(fixed("openai:m", "Sky [1]"), fixed("extractive", "x"));
        Answer answer = g.generate(REQUEST);
        assertThat(answer.fallback()).isFalse();
        assertThat(answer.text()).isEqualTo("Sky [1]");
        assertThat(g.nameOf(answer)).isEqualTo("openai:m");
        assertThat(g.name()).isEqualTo("openai:m");
    }

    @Test
    void rejectsMissingGenerators() {
        assertThatThrownBy(() -> new FallbackGenerator(null, fixed("e", "x")))
                .hasMessage("primary must not be null; primary=null");
        assertThatThrownBy(() -> new FallbackGenerator(fixed("e", "x"), null))
                .hasMessage("fallback must not be null; fallback=null");
    }
}
