package dev.omnirag.embeddings;

/** A kind of input an {@link Embedder} can map into its vector space. */
public enum Modality {
    /** Text: passages and queries. */
    TEXT,
    /** Still images (photos, scans, screenshots, rendered pages). */
    IMAGE,
    /** Sound (declared by audio-capable embedders; none ships yet). */
    AUDIO
}
