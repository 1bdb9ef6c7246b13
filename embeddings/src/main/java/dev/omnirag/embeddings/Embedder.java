package dev.omnirag.embeddings;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Set;

/**
 * Maps inputs into one vector space. An embedder declares its space: a name, a size and the modalities it
 * can embed ({@link #modalities()}); a multimodal embedder (CLIP, SigLIP, a remote multimodal model) puts
 * images and texts into the same space, so an image can be found by a text and the other way round.
 *
 * <p>Contract:
 * <ul>
 *   <li>Every vector has {@link #dimensions()} components and unit L2 norm, so dot product = cosine.</li>
 *   <li>{@link #embedDocuments} returns one vector per input, in input order; an empty list gives an empty
 *       list. Documents and queries may be embedded differently (asymmetric models add an instruction to
 *       queries); compare queries with documents, not queries with queries.</li>
 *   <li>The same input always gives the same vector (deterministic).</li>
 *   <li>Thread safe; calls are blocking and CPU-heavy, so never call them on an event loop.</li>
 * </ul>
 */
public interface Embedder extends AutoCloseable {

    /** Identifies the vector space (model and variant); vectors from different spaces must not be mixed. */
    String spaceName();

    /** Number of components of every vector. */
    int dimensions();

    /** The kinds of input this embedder takes; always contains {@link Modality#TEXT}. */
    default Set<Modality> modalities() {
        return Set.of(Modality.TEXT);
    }

    /** True when {@link #embedImages} works (the embedder has an image tower). */
    default boolean supports(Modality modality) {
        return modalities().contains(modality);
    }

    /**
     * Embeds images into the same space as texts, one unit vector per image, in input order.
     *
     * @throws EmbeddingException.NonRetriable when the embedder has no image tower (the default)
     */
    default List<float[]> embedImages(List<BufferedImage> images) {
        throw new EmbeddingException.NonRetriable(
                spaceName() + " cannot embed images: it has no image tower " + "(modalities " + modalities() + ")");
    }

    /** Embeds one image; see {@link #embedImages}. */
    default float[] embedImage(BufferedImage image) {
        return embedImages(List.of(image)).getFirst();
    }

    /** Embeds passages to be indexed. */
    List<float[]> embedDocuments(List<String> texts);

    /** Embeds a search query (with the model's query instruction, if it has one). */
    float[] embedQuery(String query);

    /** Embeds one passage. */
    default float[] embedDocument(String text) {
        return embedDocuments(List.of(text)).getFirst();
    }

    /** Number of model tokens the text occupies (without special tokens); used to size chunks. */
    int countTokens(String text);

    /** Largest number of tokens the model reads; longer inputs are truncated. */
    int maxTokens();

    /**
     * The text that token ids of this embedder's own tokenizer stand for, for clients that send token arrays
     * (OpenAI's embeddings API allows them). Empty when this embedder cannot decode (the default) or when an id is
     * outside its vocabulary. Ids of another tokenizer (OpenAI's tiktoken) decode to other words: callers must say so.
     */
    default java.util.Optional<String> decode(int[] tokens) {
        return java.util.Optional.empty();
    }

    @Override
    void close();
}
