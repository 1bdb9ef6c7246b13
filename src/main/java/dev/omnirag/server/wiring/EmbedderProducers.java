package dev.omnirag.server.wiring;

import dev.omnirag.embeddings.ClipOnnxEmbedder;
import dev.omnirag.embeddings.Embedder;
import dev.omnirag.embeddings.OnnxTextEmbedder;
import dev.omnirag.embeddings.OpenAiCompatibleEmbedder;
import dev.omnirag.server.config.EmbedderConfig;
import dev.omnirag.server.config.IndexConfig;
import dev.omnirag.server.config.IngestConfig;
import dev.omnirag.server.config.Misconfiguration;
import dev.omnirag.server.config.MultimodalConfig;
import dev.omnirag.server.ingest.Chunker;
import dev.omnirag.server.search.EmbeddingSpaces;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Builds the embedders once, from configuration: the text embedder (bge-small by default, cached and metered), the
 * optional multimodal and companion embedders ({@link EmbeddingSpaces}), and the chunker that counts their tokens.
 */
@ApplicationScoped
public class EmbedderProducers {

    private static final Logger LOG = Logger.getLogger(EmbedderProducers.class);

    @Produces
    @Singleton
    @Startup
    Embedder embedder(EmbedderConfig config, MeterRegistry registry) {
        OnnxTextEmbedder.Builder builder;
        if (config.modelPath().isPresent()) {
            builder = OnnxTextEmbedder.builder()
                    .spaceName(config.spaceName())
                    .modelPath(config.modelPath().get())
                    .tokenizerPath(config.tokenizerPath()
                            .orElseThrow(() -> new Misconfiguration(
                                    "omnirag.embedder.tokenizer-path is required with omnirag.embedder.model-path")))
                    .pooling(config.pooling())
                    .queryInstruction(config.queryInstruction().orElse(""));
        } else {
            builder = OnnxTextEmbedder.bgeSmallEnV15Builder();
        }
        OnnxTextEmbedder embedder = builder.threads(EmbedderConfig.threadsOf(config))
                .parallelRuns(EmbedderConfig.parallelRunsOf(config))
                .batchSize(config.batchSize())
                .spinWait(config.spinWait())
                .build();
        LOG.infof("Embedder ready: %s", embedder);
        return new QueryCachingEmbedder(new MeteredEmbedder(embedder, registry), config.queryCacheSize());
    }

    void closeEmbedder(@Disposes Embedder embedder) {
        embedder.close();
    }

    /** The text embedder, the optional multimodal embedder (CLIP export or remote server) and the optional companion. */
    @Produces
    @Singleton
    EmbeddingSpaces spaces(Embedder text, MultimodalConfig config, EmbedderConfig embedderConfig, IndexConfig index) {
        Embedder multimodal = switch (config.embedder()) {
            case NONE -> null;
            case CLIP_ONNX -> {
                java.nio.file.Path dir = config.clipDirectory()
                        .orElseThrow(
                                () -> new Misconfiguration(
                                        "omnirag.multimodal.clip-directory is required with omnirag.multimodal.embedder=CLIP_ONNX"));
                ClipOnnxEmbedder.Builder b = ClipOnnxEmbedder.builder()
                        .directory(dir)
                        .spaceName(config.spaceName().orElse(dir.getFileName().toString()));
                config.threads().ifPresent(b::threads);
                yield b.build();
            }
            case OPENAI -> {
                OpenAiCompatibleEmbedder.Builder b = OpenAiCompatibleEmbedder.builder()
                        .baseUrl(
                                config.baseUrl()
                                        .orElseThrow(
                                                () -> new Misconfiguration(
                                                        "omnirag.multimodal.base-url is required with omnirag.multimodal.embedder=OPENAI")))
                        .model(
                                config.model()
                                        .orElseThrow(
                                                () -> new Misconfiguration(
                                                        "omnirag.multimodal.model is required with omnirag.multimodal.embedder=OPENAI")))
                        .images(true)
                        .timeout(config.timeout());
                config.apiKey().ifPresent(b::apiKey);
                config.spaceName().ifPresent(b::spaceName);
                config.dimensions().ifPresent(b::dimensions);
                yield b.build();
            }
        };
        if (multimodal != null) {
            LOG.infof("Multimodal embedder ready: %s", multimodal);
        }
        Embedder companion = null;
        if (embedderConfig.companion() != EmbedderConfig.Companion.NONE) {
            if (index.backend() != IndexConfig.Backend.LUCENE) {
                throw new Misconfiguration("omnirag.embedder.companion=" + embedderConfig.companion()
                        + " needs omnirag.index.backend=LUCENE (pgvector tables have no companion vector column); "
                        + "omnirag.index.backend=" + index.backend());
            }
            OnnxTextEmbedder.Builder b = OnnxTextEmbedder.e5SmallV2Builder()
                    .threads(EmbedderConfig.threadsOf(embedderConfig))
                    .parallelRuns(EmbedderConfig.parallelRunsOf(embedderConfig))
                    .batchSize(embedderConfig.batchSize())
                    .spinWait(embedderConfig.spinWait());
            OnnxTextEmbedder model = b.build();
            LOG.infof("Companion embedder ready: %s", model);
            companion = new QueryCachingEmbedder(model, embedderConfig.queryCacheSize());
        }
        return new EmbeddingSpaces(text, multimodal, companion);
    }

    void closeSpaces(@Disposes EmbeddingSpaces spaces) {
        spaces.multimodal().ifPresent(Embedder::close);
        spaces.companion().ifPresent(Embedder::close);
    }

    @Produces
    @Singleton
    Chunker chunker(Embedder embedder, IngestConfig config) {
        return new Chunker(embedder::countTokens, config.chunkTokens(), config.chunkOverlapTokens());
    }
}
