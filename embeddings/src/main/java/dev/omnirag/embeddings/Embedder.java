package dev.omnirag.embeddings;

import java.util.List;

/**
 * Maps inputs into one vector space.
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

    @Override
    void close();
}
