package dev.omnirag.server.wiring;

import dev.omnirag.embeddings.Embedder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;

/** Times every embedding call ({@code omnirag.embedder.batch}) and counts embedded texts. */
final class MeteredEmbedder implements Embedder {

    private final Embedder delegate;
    private final Timer documents;
    private final Timer queries;
    private final io.micrometer.core.instrument.Counter texts;

    MeteredEmbedder(Embedder delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.documents = Timer.builder("omnirag.embedder.batch").description("Time to embed one batch of texts")
                .tag("kind", "document").publishPercentileHistogram().register(registry);
        this.queries = Timer.builder("omnirag.embedder.batch").description("Time to embed one batch of texts")
                .tag("kind", "query").publishPercentileHistogram().register(registry);
        this.texts = registry.counter("omnirag.embedder.texts");
    }

    @Override
    public String spaceName() {
        return delegate.spaceName();
    }

    @Override
    public int dimensions() {
        return delegate.dimensions();
    }

    @Override
    public List<float[]> embedDocuments(List<String> input) {
        texts.increment(input.size());
        return documents.record(() -> delegate.embedDocuments(input));
    }

    @Override
    public float[] embedQuery(String query) {
        texts.increment();
        return queries.record(() -> delegate.embedQuery(query));
    }

    @Override
    public int countTokens(String text) {
        return delegate.countTokens(text);
    }

    @Override
    public int maxTokens() {
        return delegate.maxTokens();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
