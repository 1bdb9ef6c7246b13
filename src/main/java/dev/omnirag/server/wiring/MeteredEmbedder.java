package dev.omnirag.server.wiring;

import dev.omnirag.embeddings.Embedder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;

/**
 * Times every embedding call ({@code omnirag.embedder.batch}) and counts embedded texts. Within a request's model
 * work ({@link Cancellation}) it embeds in slices of {@link #SLICE} texts and stops between them once the client
 * has gone away.
 */
final class MeteredEmbedder extends dev.omnirag.embeddings.ForwardingEmbedder {

    /** Texts embedded between two checks of a request's cancellation (a fraction of a second of CPU). */
    static final int SLICE = 16;

    private final Timer documents;
    private final Timer queries;
    private final io.micrometer.core.instrument.Counter texts;

    MeteredEmbedder(Embedder delegate, MeterRegistry registry) {
        super(delegate);
        this.documents = Timer.builder("omnirag.embedder.batch")
                .description("Time to embed one batch of texts")
                .tag("kind", "document")
                .publishPercentileHistogram()
                .register(registry);
        this.queries = Timer.builder("omnirag.embedder.batch")
                .description("Time to embed one batch of texts")
                .tag("kind", "query")
                .publishPercentileHistogram()
                .register(registry);
        this.texts = registry.counter("omnirag.embedder.texts");
    }

    @Override
    public List<float[]> embedDocuments(List<String> input) {
        if (!Cancellation.active() || input.size() <= SLICE) {
            Cancellation.check();
            texts.increment(input.size());
            return documents.record(() -> delegate().embedDocuments(input));
        }
        List<float[]> out = new java.util.ArrayList<>(input.size());
        for (int from = 0; from < input.size(); from += SLICE) {
            Cancellation.check();
            List<String> slice = input.subList(from, Math.min(input.size(), from + SLICE));
            texts.increment(slice.size());
            out.addAll(documents.record(() -> delegate().embedDocuments(slice)));
        }
        return out;
    }

    @Override
    public float[] embedQuery(String query) {
        Cancellation.check();
        texts.increment();
        return queries.record(() -> delegate().embedQuery(query));
    }
}
