package dev.omnirag.server.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a transcript into time windows of about {@code windowMs} that overlap by about {@code overlapMs}: a window
 * starts at a word and takes every following word that ends within the window; the next window starts at the
 * first word that begins after the current window's end minus the overlap (and always at least one word later).
 * Each chunk's text is exactly the transcript's characters from its first to its last word, and it carries the
 * first word's start and the last word's end. Thread safe.
 */
public final class TranscriptChunker {

    /** One window: the page text range, its time range and the number of words. */
    public record Window(int charStart, int charEnd, long startMs, long endMs, int words) {}

    private final long windowMs;
    private final long overlapMs;

    public TranscriptChunker(long windowMs, long overlapMs) {
        if (windowMs < 1000 || windowMs > 3_600_000) {
            throw new IllegalArgumentException("window must be in 1s..1h; window=" + windowMs + "ms");
        }
        if (overlapMs < 0 || overlapMs >= windowMs) {
            throw new IllegalArgumentException("windowOverlap must be in 0..window; windowOverlap=" + overlapMs + "ms");
        }
        this.windowMs = windowMs;
        this.overlapMs = overlapMs;
    }

    /** Windows over timed spans (words), in order. Spans without times are ignored. */
    public List<Window> windows(List<ParsedDocument.Span> words) {
        List<ParsedDocument.Span> timed = words.stream()
                .filter(s -> s.startMs() != null && s.endMs() != null)
                .toList();
        List<Window> out = new ArrayList<>();
        int i = 0;
        while (i < timed.size()) {
            long start = timed.get(i).startMs();
            int j = i;
            while (j + 1 < timed.size() && timed.get(j + 1).endMs() - start <= windowMs) {
                j++;
            }
            out.add(new Window(
                    timed.get(i).charStart(),
                    timed.get(j).charEnd(),
                    start,
                    timed.get(j).endMs(),
                    j - i + 1));
            if (j + 1 >= timed.size()) {
                break;
            }
            long nextFrom = timed.get(j).endMs() - overlapMs;
            int next = i + 1;
            while (next <= j && timed.get(next).startMs() < nextFrom) {
                next++;
            }
            i = Math.min(next, j + 1);
        }
        return out;
    }
}
