package dev.omnirag.generator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TermsTest {

    @Test
    void inflectionsMeetAtOneStem() {
        assertThat(Terms.stem("traces"))
                .isEqualTo(Terms.stem("tracing"))
                .isEqualTo(Terms.stem("traceable"))
                .isEqualTo(Terms.stem("trace"));
        assertThat(Terms.stem("speedups")).isEqualTo(Terms.stem("speedup"));
        assertThat(Terms.stem("compiled")).isEqualTo(Terms.stem("compiler")).isEqualTo(Terms.stem("compilation"));
        assertThat(Terms.stem("stopped")).isEqualTo(Terms.stem("stop"));
        assertThat(Terms.stem("class")).isEqualTo("class");
    }

    @Test
    void dropsStopWordsAndQuestionPhrasing() {
        assertThat(Terms.of("What speedup does TraceMonkey give for traceable programs?"))
                .containsExactly("speedup", "tracemonkey", "trac", "program");
    }

    @Test
    void joinsWordsHyphenatedAcrossLinesAndKeepsNumbers() {
        assertThat(Terms.of("Spi-\nderMonkey with a 2x-20x speedup"))
                .containsExactly("spidermonkey", "2x", "20x", "speedup");
    }
}
