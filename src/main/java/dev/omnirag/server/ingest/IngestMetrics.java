package dev.omnirag.server.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/** The ingestion meters: documents ingested and failed, chunks indexed, time per document. Thread-safe. */
@ApplicationScoped
public class IngestMetrics {

    private final Counter documentsIngested;
    private final Counter documentsFailed;
    private final Counter chunksIndexed;
    private final Timer ingestDuration;

    IngestMetrics(MeterRegistry registry) {
        this.documentsIngested = Counter.builder("omnirag.documents.ingested")
                .description("Documents ingested successfully")
                .register(registry);
        this.documentsFailed = Counter.builder("omnirag.documents.failed")
                .description("Documents whose ingestion failed")
                .register(registry);
        this.chunksIndexed = Counter.builder("omnirag.chunks.indexed")
                .description("Chunks embedded and indexed")
                .register(registry);
        this.ingestDuration = Timer.builder("omnirag.ingest.duration")
                .description("Time to ingest one document")
                .publishPercentileHistogram()
                .register(registry);
    }

    void ingested(int chunks, long millis) {
        chunksIndexed.increment(chunks);
        documentsIngested.increment();
        ingestDuration.record(millis, TimeUnit.MILLISECONDS);
    }

    void failed() {
        documentsFailed.increment();
    }
}
