package dev.omnirag.generator;

/**
 * A passage the answer may cite: a retrieved chunk, possibly an image.
 *
 * @param id       the chunk's id, reported back in {@link Citation#sourceId()}; not blank
 * @param text     the chunk's text, exactly as stored, so citation offsets map onto it; not null, may be empty
 *                 (an image without a caption)
 * @param label    where the passage comes from, for people, e.g. {@code "tracemonkey.pdf, page 1"}; null becomes
 *                 empty
 * @param imageUrl the picture this source shows, as a {@code data:image/...;base64,} URL or an
 *                 {@code http(s)://} URL a model server can fetch; null when the source is text only. Vision
 *                 generators and rerankers send it as an {@code image_url} content part.
 * @param sentenceVectors vectors of this source's sentences made ahead of time, by sentence text as
 *                 {@link ExtractiveGenerator#sentences} gives it, in the generator's embedding space: the extractive
 *                 generator uses them instead of embedding those sentences; null becomes empty (none at hand)
 */
public record Source(
        String id, String text, String label, String imageUrl, java.util.Map<String, float[]> sentenceVectors) {

    public Source {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("id must not be blank; id=" + quoted(id));
        }
        if (text == null) {
            throw new IllegalArgumentException("text must not be null; id=" + id);
        }
        label = label == null ? "" : label;
        if (imageUrl != null
                && !(imageUrl.startsWith("data:image/")
                        || imageUrl.startsWith("http://")
                        || imageUrl.startsWith("https://"))) {
            throw new IllegalArgumentException("imageUrl must be a data:image/ URL or an http(s) URL; id=" + id
                    + ", imageUrl=" + quoted(imageUrl.length() > 40 ? imageUrl.substring(0, 40) + "..." : imageUrl));
        }
        sentenceVectors = sentenceVectors == null ? java.util.Map.of() : java.util.Map.copyOf(sentenceVectors);
    }

    /** A source without sentence vectors at hand. */
    public Source(String id, String text, String label, String imageUrl) {
        this(id, text, label, imageUrl, null);
    }

    /** This source with the given sentence vectors at hand (see {@link #sentenceVectors()}). */
    public Source withSentenceVectors(java.util.Map<String, float[]> vectors) {
        return new Source(id, text, label, imageUrl, vectors);
    }

    /** A text source with a label. */
    public Source(String id, String text, String label) {
        this(id, text, label, null);
    }

    /** A source without a label. */
    public Source(String id, String text) {
        this(id, text, "", null);
    }

    /** True when the source carries a picture. */
    public boolean hasImage() {
        return imageUrl != null;
    }

    static String quoted(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }
}
