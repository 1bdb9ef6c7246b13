package dev.omnirag.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnirag.index.BoundingBox;
import dev.omnirag.index.Locator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TranscriptChunkerTest {

    /** Words "w0 w1 ..." one per second (each 0.8 s long), as spans over the joined text. */
    static List<ParsedDocument.Span> words(int n) {
        List<ParsedDocument.Span> spans = new ArrayList<>();
        int at = 0;
        for (int i = 0; i < n; i++) {
            String w = "w" + i;
            spans.add(new ParsedDocument.Span(at, at + w.length(), null, i * 1000L, i * 1000L + 800));
            at += w.length() + 1;
        }
        return spans;
    }

    @Test
    void windowsCoverTheTranscriptWithOverlap() {
        List<TranscriptChunker.Window> windows = new TranscriptChunker(30_000, 5_000).windows(words(70));
        // w0..w29 end by 29.8 s; the next window starts at the first word after 29.8 - 5 = 24.8 s: w25.
        assertThat(windows.get(0).startMs()).isZero();
        assertThat(windows.get(0).endMs()).isEqualTo(29_800);
        assertThat(windows.get(0).words()).isEqualTo(30);
        assertThat(windows.get(1).startMs()).isEqualTo(25_000);
        assertThat(windows.getLast().endMs()).isEqualTo(69_800);
        for (int i = 1; i < windows.size(); i++) {
            assertThat(windows.get(i).startMs()).isLessThan(windows.get(i - 1).endMs());
            assertThat(windows.get(i).startMs())
                    .isGreaterThan(windows.get(i - 1).startMs());
        }
    }

    @Test
    void aShortRecordingIsOneWindowAndInvalidSettingsAreNamed() {
        assertThat(new TranscriptChunker(30_000, 5_000).windows(words(3))).hasSize(1);
        assertThat(new TranscriptChunker(30_000, 5_000).windows(List.of())).isEmpty();
        assertThatThrownBy(() -> new TranscriptChunker(30_000, 30_000)).hasMessageContaining("windowOverlap");
        assertThatThrownBy(() -> new TranscriptChunker(10, 0)).hasMessageContaining("window must be in 1s..1h");
    }

    @Test
    void spansNarrowLocatorsToTheWordsInARangeAndRoundTripThroughJson() {
        List<ParsedDocument.Span> timed = words(5); // "w0 w1 w2 w3 w4"
        Locator chunk = new Locator(null, 0, 14, null, 0L, 4800L);
        assertThat(Spans.narrow(chunk, timed, 6, 8)).isEqualTo(new Locator(null, 0, 14, null, 2000L, 2800L));
        assertThat(Spans.fromJson(Spans.toJson(timed))).isEqualTo(timed);

        List<ParsedDocument.Span> boxed = List.of(
                new ParsedDocument.Span(0, 5, new BoundingBox(0.1, 0.1, 0.2, 0.05), null, null),
                new ParsedDocument.Span(6, 11, new BoundingBox(0.4, 0.1, 0.2, 0.05), null, null),
                new ParsedDocument.Span(12, 17, new BoundingBox(0.1, 0.3, 0.2, 0.05), null, null));
        Locator narrowed = Spans.narrow(new Locator(1, 0, 17), boxed, 0, 11);
        assertThat(narrowed.bbox().x()).isEqualTo(0.1);
        assertThat(narrowed.bbox().w()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(narrowed.bbox().h()).isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Spans.slice(boxed, 6, 17))
                .extracting(ParsedDocument.Span::charStart)
                .containsExactly(0, 6);
        assertThat(Spans.fromJson(Spans.toJson(boxed))).isEqualTo(boxed);
        assertThat(Spans.toJson(List.of())).isNull();
        assertThat(Spans.fromJson("not json")).isEmpty();
    }
}
