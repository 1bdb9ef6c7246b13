package dev.omnirag.media;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link Transcriber} heard.
 *
 * @param segments utterances in time order
 */
public record Transcript(List<Segment> segments) {

    public Transcript {
        segments = List.copyOf(segments);
        long last = 0;
        for (Segment s : segments) {
            if (s.startMs() < last) {
                throw new IllegalArgumentException(
                        "segments must be in time order and not overlap; a segment starts at " + s.startMs()
                                + " ms before the previous one ends at " + last + " ms");
            }
            last = s.endMs();
        }
    }

    /** True when nothing was recognised. */
    public boolean isEmpty() {
        return segments.stream().allMatch(s -> s.text().isBlank());
    }

    /**
     * One utterance.
     *
     * @param startMs start, ms from the beginning of the recording
     * @param endMs end (≥ start)
     * @param text the words, separated by single spaces
     * @param words the words with their times (may be empty when the engine gives none)
     */
    public record Segment(long startMs, long endMs, String text, List<Word> words) {
        public Segment {
            if (startMs < 0 || endMs < startMs) {
                throw new IllegalArgumentException("invalid segment time; startMs=" + startMs + ", endMs=" + endMs);
            }
            Objects.requireNonNull(text, "text must not be null");
            words = List.copyOf(words);
        }
    }

    /** One recognised word and when it was said. */
    public record Word(String text, long startMs, long endMs) {
        public Word {
            Objects.requireNonNull(text, "text must not be null");
            if (startMs < 0 || endMs < startMs) {
                throw new IllegalArgumentException("invalid word time; startMs=" + startMs + ", endMs=" + endMs);
            }
        }
    }
}
