package dev.omnirag.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The {@link Generator} contract, which every implementation must pass: the streamed deltas (since the last restart)
 * are the answer's text, the citations reported are the answer's, each before the delta carrying its marker, each
 * quote is exactly the source text at its offsets, a marker that names no source never becomes a citation, and one
 * instance answers concurrent requests alike. Subclasses supply the generator.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class GeneratorContractTest {

    protected static final String QUESTION = "What speedup does TraceMonkey give for traceable programs?";
    protected static final List<Source> SOURCES = List.of(
            new Source(
                    "s1",
                    "Knead the bread dough for ten minutes until it is smooth and elastic, then let it rise "
                            + "in a warm place for an hour.",
                    "bread.txt"),
            new Source(
                    "s2",
                    "A trace tree is a tree of traces that all start at the same loop header, compiled to "
                            + "native code when the loop becomes hot.",
                    "tracemonkey.pdf, page 3"),
            new Source(
                    "s3",
                    "TraceMonkey supports all the JavaScript features of SpiderMonkey, with a 2x-20x speedup "
                            + "for traceable programs.",
                    "tracemonkey.pdf, page 2"));

    /** The generator under test (built once; the contract says it is thread safe). */
    protected abstract Generator generator();

    @Test
    void hasAName() {
        assertThat(generator().name()).isNotBlank();
    }

    @Test
    void theStreamIsTheAnswerAndEachCitationComesBeforeItsMarker() {
        OpenAiCompatibleGeneratorTest.Recorder recorder = new OpenAiCompatibleGeneratorTest.Recorder();
        Answer answer = generator().generate(new GenerationRequest(QUESTION, SOURCES), recorder);

        assertThat(answer.text()).isNotBlank();
        assertThat(recorder.text.toString()).isEqualTo(answer.text());
        assertThat(recorder.citations).isEqualTo(answer.citations());
        assertThat(answer.citations()).isNotEmpty();
        for (Citation c : answer.citations()) {
            int reported = recorder.events.indexOf("citation:" + c.n());
            int firstMarker = -1;
            StringBuilder soFar = new StringBuilder();
            for (int i = 0; i < recorder.events.size() && firstMarker < 0; i++) {
                if (recorder.events.get(i).startsWith("delta:")) {
                    soFar.append(recorder.events.get(i).substring("delta:".length()));
                    if (soFar.indexOf("[" + c.n() + "]") >= 0) {
                        firstMarker = i;
                    }
                }
            }
            assertThat(reported).as("citation %d reported", c.n()).isGreaterThanOrEqualTo(0);
            if (firstMarker >= 0) {
                assertThat(reported).as("citation %d before its marker", c.n()).isLessThan(firstMarker);
            }
        }
    }

    @Test
    void everyQuoteIsTheSourceTextAtItsOffsets() {
        Answer answer = generator().generate(new GenerationRequest(QUESTION, SOURCES));
        for (Citation c : answer.citations()) {
            assertThat(c.sourceIndex()).isBetween(0, SOURCES.size() - 1);
            assertThat(c.sourceId()).isEqualTo(SOURCES.get(c.sourceIndex()).id());
            assertThat(c.quote())
                    .isEqualTo(SOURCES.get(c.sourceIndex()).text().substring(c.quoteStart(), c.quoteEnd()));
        }
        assertThat(answer.citations()).extracting(Citation::sourceId).contains("s3");
    }

    @Test
    void withoutSourcesThereIsNoCitation() {
        Answer answer = generator().generate(new GenerationRequest(QUESTION, List.of()));
        assertThat(answer.citations()).isEmpty();
    }

    @Test
    void concurrentRequestsGetTheSameAnswerAsOneAtATime() throws Exception {
        Answer alone = generator().generate(new GenerationRequest(QUESTION, SOURCES));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(pool.submit(() -> generator().generate(new GenerationRequest(QUESTION, SOURCES))));
            }
            for (Future<Answer> f : answers) {
                Answer a = f.get();
                assertThat(a.text()).isEqualTo(alone.text());
                assertThat(a.citations()).isEqualTo(alone.citations());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
