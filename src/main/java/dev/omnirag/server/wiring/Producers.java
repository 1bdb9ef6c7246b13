package dev.omnirag.server.wiring;

import dev.omnirag.embeddings.Embedder;
import dev.omnirag.embeddings.OnnxTextEmbedder;
import dev.omnirag.generator.ExtractiveGenerator;
import dev.omnirag.generator.Generator;
import dev.omnirag.server.config.EmbedderConfig;
import dev.omnirag.server.config.IngestConfig;
import dev.omnirag.server.config.OmniragConfig;
import dev.omnirag.server.config.SearchConfig;
import dev.omnirag.server.ingest.BlobStore;
import dev.omnirag.server.ingest.Chunker;
import dev.omnirag.server.ingest.DocumentParser;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** Builds the library objects once, from configuration. */
@ApplicationScoped
public class Producers {

    private static final Logger LOG = Logger.getLogger(Producers.class);

    @Produces
    @Singleton
    @Startup
    Embedder embedder(EmbedderConfig config, MeterRegistry registry) {
        OnnxTextEmbedder.Builder builder;
        if (config.modelPath().isPresent()) {
            builder = OnnxTextEmbedder.builder()
                    .spaceName(config.spaceName())
                    .modelPath(config.modelPath().get())
                    .tokenizerPath(config.tokenizerPath().orElseThrow(() -> new IllegalArgumentException(
                            "omnirag.embedder.tokenizer-path is required with omnirag.embedder.model-path")))
                    .pooling(OnnxTextEmbedder.Pooling.valueOf(config.pooling().toUpperCase(java.util.Locale.ROOT)))
                    .queryInstruction(config.queryInstruction().orElse(""));
        } else {
            builder = OnnxTextEmbedder.bgeSmallEnV15Builder();
        }
        config.threads().ifPresent(builder::threads);
        OnnxTextEmbedder embedder = builder.batchSize(config.batchSize()).build();
        LOG.infof("Embedder ready: %s", embedder);
        return new MeteredEmbedder(embedder, registry);
    }

    void closeEmbedder(@Disposes Embedder embedder) {
        embedder.close();
    }

    @Produces
    @Singleton
    Generator generator(Embedder embedder, SearchConfig config) {
        return ExtractiveGenerator.builder().embedder(embedder).maxSentences(config.answerSentences()).build();
    }

    @Produces
    @Singleton
    BlobStore blobStore(OmniragConfig config) {
        return new BlobStore(config.home().resolve("blobs"));
    }

    @Produces
    @Singleton
    DocumentParser parser(IngestConfig config) {
        return new DocumentParser(config.repairDamagedPdfs());
    }

    @Produces
    @Singleton
    Chunker chunker(Embedder embedder, IngestConfig config) {
        return new Chunker(embedder::countTokens, config.chunkTokens(), config.chunkOverlapTokens());
    }
}
