package dev.omnirag.generator;

/**
 * A passage the answer may cite: a retrieved chunk.
 *
 * @param id    the chunk's id, reported back in {@link Citation#sourceId()}; not blank
 * @param text  the chunk's text, exactly as stored, so citation offsets map onto it; not null, may be empty
 * @param label where the passage comes from, for people, e.g. {@code "tracemonkey.pdf, page 1"}; null becomes
 *              empty
 */
public record Source(String id, String text, String label) {

    public Source {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("id must not be blank; id=" + quoted(id));
        }
        if (text == null) {
            throw new IllegalArgumentException("text must not be null; id=" + id);
        }
        label = label == null ? "" : label;
    }

    /** A source without a label. */
    public Source(String id, String text) {
        this(id, text, "");
    }

    static String quoted(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }
}
