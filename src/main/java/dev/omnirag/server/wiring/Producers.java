package dev.omnirag.server.wiring;

import dev.omnirag.embeddings.Embedder;
import dev.omnirag.embeddings.OnnxTextEmbedder;
import dev.omnirag.generator.ExtractiveGenerator;
import dev.omnirag.generator.Generator;
import dev.omnirag.embeddings.ClipOnnxEmbedder;
import dev.omnirag.embeddings.OpenAiCompatibleEmbedder;
import dev.omnirag.media.AudioDecoder;
import dev.omnirag.media.FfmpegAudioDecoder;
import dev.omnirag.media.ImageDecoder;
import dev.omnirag.media.OcrEngine;
import dev.omnirag.media.PageRenderer;
import dev.omnirag.media.PocketSphinxTranscriber;
import dev.omnirag.media.TesseractOcrEngine;
import dev.omnirag.media.Transcriber;
import dev.omnirag.server.config.AsrConfig;
import dev.omnirag.server.config.EmbedderConfig;
import dev.omnirag.server.config.ImageConfig;
import dev.omnirag.server.config.MultimodalConfig;
import dev.omnirag.server.config.OcrConfig;
import dev.omnirag.server.ingest.MediaProcessor;
import dev.omnirag.server.search.EmbeddingSpaces;
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
    DocumentParser parser(IngestConfig config, MediaProcessor media) {
        return new DocumentParser(config.repairDamagedPdfs(), media);
    }

    @Produces
    @Singleton
    ImageDecoder imageDecoder(ImageConfig config) {
        return new ImageDecoder(config.maxPixels(), config.maxFrames());
    }

    /** Renders PDF pages and image frames as PNG; also for an HTTP endpoint that shows pages. */
    @Produces
    @Singleton
    PageRenderer pageRenderer(ImageDecoder decoder) {
        return new PageRenderer(decoder);
    }

    @Produces
    @Singleton
    MediaProcessor media(OcrConfig ocr, AsrConfig asr, ImageDecoder decoder, PageRenderer renderer, OmniragConfig home) {
        OcrEngine engine = null;
        if (ocr.enabled()) {
            TesseractOcrEngine.Builder b = TesseractOcrEngine.builder()
                    .language(ocr.language())
                    .engines(ocr.engines())
                    .timeoutMs(ocr.timeout().toMillis())
                    .cacheDir(home.home().toAbsolutePath());
            ocr.tessdata().ifPresent(b::tessdata);
            engine = b.build();
            LOG.infof("OCR ready: %s", engine);
        }
        AudioDecoder audio = null;
        Transcriber transcriber = null;
        if (asr.enabled()) {
            audio = new FfmpegAudioDecoder(asr.ffmpegPath(), asr.maxDuration(), asr.timeout());
            transcriber = new PocketSphinxTranscriber(asr.pocketsphinxPath(), asr.timeout());
            LOG.infof("Speech recognition: %s, decoding with %s", transcriber, asr.ffmpegPath());
        }
        return new MediaProcessor(engine, decoder, renderer, audio, transcriber, ocr.pdfDpi(), ocr.minTextChars(),
                ocr.recoverDamagedScans());
    }

    void closeMedia(@Disposes MediaProcessor media) {
        if (media.ocr() != null) {
            media.ocr().close();
        }
    }

    /** The text embedder and the optional multimodal embedder (CLIP export or remote server). */
    @Produces
    @Singleton
    EmbeddingSpaces spaces(Embedder text, MultimodalConfig config) {
        Embedder multimodal = switch (config.embedder()) {
            case NONE -> null;
            case CLIP_ONNX -> {
                java.nio.file.Path dir = config.clipDirectory().orElseThrow(() -> new IllegalArgumentException(
                        "omnirag.multimodal.clip-directory is required with omnirag.multimodal.embedder=CLIP_ONNX"));
                ClipOnnxEmbedder.Builder b = ClipOnnxEmbedder.builder().directory(dir)
                        .spaceName(config.spaceName().orElse(dir.getFileName().toString()));
                config.threads().ifPresent(b::threads);
                yield b.build();
            }
            case OPENAI -> {
                OpenAiCompatibleEmbedder.Builder b = OpenAiCompatibleEmbedder.builder()
                        .baseUrl(config.baseUrl().orElseThrow(() -> new IllegalArgumentException(
                                "omnirag.multimodal.base-url is required with omnirag.multimodal.embedder=OPENAI")))
                        .model(config.model().orElseThrow(() -> new IllegalArgumentException(
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
        return new EmbeddingSpaces(text, multimodal);
    }

    void closeSpaces(@Disposes EmbeddingSpaces spaces) {
        spaces.multimodal().ifPresent(Embedder::close);
    }

    @Produces
    @Singleton
    Chunker chunker(Embedder embedder, IngestConfig config) {
        return new Chunker(embedder::countTokens, config.chunkTokens(), config.chunkOverlapTokens());
    }
}
