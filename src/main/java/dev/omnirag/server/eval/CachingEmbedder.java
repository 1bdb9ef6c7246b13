package dev.omnirag.server.eval;

import dev.omnirag.embeddings.Embedder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers every document and query vector of the evaluation, so the many reranker configurations of a sweep
 * embed each Cranfield sentence once. Evaluation only: unbounded, not thread safe.
 */
final class CachingEmbedder extends dev.omnirag.embeddings.ForwardingEmbedder {

    private final Map<String, float[]> documents = new HashMap<>();
    private final Map<String, float[]> queries = new HashMap<>();

    CachingEmbedder(Embedder delegate) {
        super(delegate);
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        List<String> missing = new ArrayList<>();
        for (String t : texts) {
            if (!documents.containsKey(t) && !missing.contains(t)) {
                missing.add(t);
            }
        }
        List<float[]> fresh = delegate().embedDocuments(missing);
        for (int i = 0; i < missing.size(); i++) {
            documents.put(missing.get(i), fresh.get(i));
        }
        return texts.stream().map(documents::get).toList();
    }

    @Override
    public float[] embedQuery(String query) {
        return queries.computeIfAbsent(query, delegate()::embedQuery);
    }

    @Override
    public void close() {
        // The delegate belongs to the caller.
    }
}
