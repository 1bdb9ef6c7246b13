package dev.omnirag.media;

import dev.omnirag.index.BoundingBox;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The text read from one image and where each word is.
 *
 * @param text the words in reading order (see {@link OcrEngine})
 * @param words every word with its character range in {@code text} and its normalised box, in text order
 */
public record OcrText(String text, List<Word> words) {

    public static final OcrText EMPTY = new OcrText("", List.of());

    public OcrText {
        Objects.requireNonNull(text, "text must not be null");
        words = List.copyOf(words);
        for (Word w : words) {
            if (w.charEnd() > text.length()) {
                throw new IllegalArgumentException("word range " + w.charStart() + ".." + w.charEnd()
                        + " lies beyond the text (length " + text.length() + ")");
            }
        }
    }

    /**
     * One recognised word.
     *
     * @param charStart start offset (inclusive) in the text
     * @param charEnd end offset (exclusive) in the text
     * @param box where the word is, normalised to the image
     * @param confidence the engine's confidence, 0..100
     */
    public record Word(int charStart, int charEnd, BoundingBox box, float confidence) {
        public Word {
            if (charStart < 0 || charEnd < charStart) {
                throw new IllegalArgumentException("invalid range; charStart=" + charStart + ", charEnd=" + charEnd);
            }
            Objects.requireNonNull(box, "box must not be null");
        }
    }

    /**
     * The union of the boxes of the words overlapping {@code [charStart, charEnd)}, or null when none does.
     * This is how a chunk or a quoted sentence gets its box on the page.
     */
    public static BoundingBox boxOf(List<Word> words, int charStart, int charEnd) {
        BoundingBox box = null;
        for (Word w : words) {
            if (w.charEnd() > charStart && w.charStart() < charEnd) {
                box = box == null ? w.box() : box.union(w.box());
            }
        }
        return box;
    }

    /** The words overlapping {@code [charStart, charEnd)}, shifted so offsets are relative to charStart. */
    public static List<Word> slice(List<Word> words, int charStart, int charEnd) {
        List<Word> out = new ArrayList<>();
        for (Word w : words) {
            if (w.charEnd() > charStart && w.charStart() < charEnd) {
                out.add(new Word(
                        Math.max(0, w.charStart() - charStart),
                        Math.min(charEnd, w.charEnd()) - charStart,
                        w.box(),
                        w.confidence()));
            }
        }
        return out;
    }
}
