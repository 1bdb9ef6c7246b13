package dev.omnirag.server.wiring;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnirag.embeddings.Embedder;
import dev.omnirag.embeddings.OnnxTextEmbedder;
import dev.omnirag.generator.CitationVerifier;
import dev.omnirag.generator.ExtractiveGenerator;
import dev.omnirag.generator.FallbackGenerator;
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
import dev.omnirag.server.config.IndexConfig;
import dev.omnirag.server.config.ImageConfig;
import dev.omnirag.server.config.MultimodalConfig;
import dev.omnirag.server.config.OcrConfig;
import dev.omnirag.server.ingest.MediaProcessor;
import dev.omnirag.server.search.EmbeddingSpaces;
import dev.omnirag.generator.OpenAiChatClient;
import dev.omnirag.generator.OpenAiCompatibleGenerator;
import dev.omnirag.reranker.LateInteractionReranker;
import dev.omnirag.reranker.MllmReranker;
import dev.omnirag.reranker.OnnxCrossEncoderReranker;
import dev.omnirag.reranker.RemoteReranker;
import dev.omnirag.reranker.Reranker;
import dev.omnirag.server.config.CitationsConfig;
import dev.omnirag.server.config.GeneratorConfig;
import dev.omnirag.server.config.IngestConfig;
import dev.omnirag.server.config.OmniragConfig;
import dev.omnirag.server.config.RerankerConfig;
import dev.omnirag.server.config.SearchConfig;
import dev.omnirag.server.ingest.BlobStore;
import dev.omnirag.server.ingest.Chunker;
import dev.omnirag.server.ingest.DocumentParser;
import dev.omnirag.server.search.ChatBackend;
import dev.omnirag.server.search.ImageSources;
import dev.omnirag.server.search.Rerankers;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
                    .pooling(config.pooling())
                    .queryInstruction(config.queryInstruction().orElse(""));
        } else {
            builder = OnnxTextEmbedder.bgeSmallEnV15Builder();
        }
        config.threads().ifPresent(builder::threads);
        OnnxTextEmbedder embedder = builder.batchSize(config.batchSize()).spinWait(config.spinWait()).build();
        LOG.infof("Embedder ready: %s", embedder);
        return new QueryCachingEmbedder(new MeteredEmbedder(embedder, registry), config.queryCacheSize());
    }

    void closeEmbedder(@Disposes Embedder embedder) {
        embedder.close();
    }

    /** The OpenAI-compatible model server, when {@code omnirag.generator.kind=openai}. */
    @Produces
    @Singleton
    ChatBackend chatBackend(GeneratorConfig config) {
        if (config.kind() == GeneratorConfig.Kind.EXTRACTIVE) {
            return ChatBackend.NONE;
        }
        String baseUrl = config.baseUrl().orElseThrow(() -> new IllegalArgumentException(
                "omnirag.generator.base-url is required with omnirag.generator.kind=openai, e.g. http://localhost:8000/v1"));
        String model = config.model().orElseThrow(() -> new IllegalArgumentException(
                "omnirag.generator.model is required with omnirag.generator.kind=openai (the server's served model name)"));
        OpenAiChatClient client = OpenAiChatClient.builder()
                .baseUrl(baseUrl)
                .apiKey(config.apiKey().orElse(null))
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.readTimeout())
                .maxRetries(config.maxRetries())
                .retryBackoff(config.retryBackoff())
                .maxBackoff(config.maxBackoff())
                .breakerFailureThreshold(config.breakerFailureThreshold())
                .breakerOpenDuration(config.breakerOpenDuration())
                .build();
        return new ChatBackend(Optional.of(client), Optional.of(model), config.vision());
    }

    /**
     * The extractive generator, or the LLM generator with the extractive one as its fallback. Built when first
     * needed (not at start), so a misconfigured generator fails the first ask with the message naming the key.
     */
    @Produces
    @Singleton
    Generator generator(Embedder embedder, SearchConfig search, GeneratorConfig config, CitationsConfig citations,
            ChatBackend backend) {
        ExtractiveGenerator extractive = ExtractiveGenerator.builder()
                .embedder(new SentenceCachingEmbedder(embedder, config.sentenceCacheSize()))
                .maxSentences(search.answerSentences()).build();
        if (backend.client().isEmpty()) {
            LOG.infof("Generator: %s", extractive);
            return extractive;
        }
        CitationVerifier verifier = CitationVerifier.builder().embedder(embedder)
                .minSupport(citations.minSupport())
                .minLexical(citations.minLexical())
                .checkNumbers(citations.checkNumbers())
                .candidateSentences(citations.candidateSentences())
                .build();
        OpenAiCompatibleGenerator.Builder llm = OpenAiCompatibleGenerator.builder()
                .client(backend.client().get())
                .model(backend.model().get())
                .maxTokens(config.maxTokens())
                .temperature(config.temperature())
                .vision(config.vision())
                .contextTokens(config.contextTokens())
                .imageTokens(config.imageTokens())
                .verifier(verifier)
                .strictCitations(citations.strict())
                .extraBody(json("omnirag.generator.extra-body", config.extraBody()));
        config.systemPrompt().ifPresent(llm::systemPrompt);
        FallbackGenerator generator = new FallbackGenerator(llm.build(), extractive);
        LOG.infof("Generator: %s (fallback: extractive), %s", generator.primary(), verifier);
        return generator;
    }

    /** The local reranker always; the MLLM reranker when its server is configured. */
    @Produces
    @Singleton
    Rerankers rerankers(Embedder embedder, RerankerConfig config, ImageSources images) {
        RerankerConfig.Local local = config.local();
        Reranker localReranker = LateInteractionReranker.builder().embedder(embedder)
                .firstStageWeight(local.firstStageWeight())
                .topSentences(local.topSentences())
                .feedbackHits(local.feedbackHits())
                .feedbackWeight(local.feedbackWeight())
                .maxSentences(local.maxSentences())
                .mmrLambda(local.mmrLambda())
                .cacheSize(local.cacheSize())
                .build();
        RerankerConfig.Mllm m = config.mllm();
        Optional<Reranker> mllm = Optional.empty();
        if (m.baseUrl().isPresent() || m.model().isPresent()) {
            String model = m.model().orElseThrow(() -> new IllegalArgumentException(
                    "omnirag.reranker.mllm.model is required with omnirag.reranker.mllm.base-url"));
            String baseUrl = m.baseUrl().orElseThrow(() -> new IllegalArgumentException(
                    "omnirag.reranker.mllm.base-url is required with omnirag.reranker.mllm.model"));
            mllm = Optional.of(MllmReranker.builder()
                    .baseUrl(baseUrl)
                    .model(model)
                    .apiKey(m.apiKey().orElse(null))
                    .candidates(m.candidates())
                    .concurrency(m.concurrency())
                    .deadline(m.deadline())
                    .connectTimeout(m.connectTimeout())
                    .topLogprobs(m.topLogprobs())
                    .maxPassageChars(m.maxPassageChars())
                    .imageUrl(m.images() ? images::dataUrl : null)
                    .extraBody(json("omnirag.reranker.mllm.extra-body", m.extraBody()))
                    .build());
        }
        RerankerConfig.CrossEncoder ce = config.crossEncoder();
        Optional<Reranker> crossEncoder = ce.modelPath().map(model -> OnnxCrossEncoderReranker.builder()
                .modelPath(model)
                .tokenizerPath(ce.tokenizerPath().orElse(model.resolveSibling("tokenizer.json")))
                .maxLength(ce.maxLength())
                .batchSize(ce.batchSize())
                .build());
        RerankerConfig.Remote rc = config.remote();
        Optional<Reranker> remote = rc.url().filter(u -> !u.isBlank()).map(url -> RemoteReranker.builder()
                .url(url)
                .format(rc.format())
                .model(rc.model().orElse(null))
                .apiKey(rc.apiKey().orElse(null))
                .candidates(rc.candidates())
                .deadline(rc.deadline())
                .build());
        Rerankers rerankers = new Rerankers(localReranker, mllm, mllm.isPresent() ? m.model() : Optional.empty(),
                crossEncoder, remote, config.defaultReranker().strip().toLowerCase(Locale.ROOT), config.candidates());
        LOG.infof("Rerankers: %s%s%s%s; default %s", localReranker, mllm.map(r -> ", " + r).orElse(""),
                crossEncoder.map(r -> ", " + r).orElse(""), remote.map(r -> ", " + r).orElse(""), rerankers.defaultName());
        return rerankers;
    }

    private static Map<String, Object> json(String key, Optional<String> value) {
        if (value.isEmpty() || value.get().isBlank()) {
            return null;
        }
        try {
            return new ObjectMapper().readValue(value.get(), new TypeReference<Map<String, Object>>() {
            });
        } catch (Exception e) {
            throw new IllegalArgumentException(key + " must be a JSON object; " + key + "=" + value.get(), e);
        }
    }

    @Produces
    @Singleton
    BlobStore blobStore(OmniragConfig config) {
        return new BlobStore(config.home().resolve("blobs"));
    }

    @Produces
    @Singleton
    DocumentParser parser(IngestConfig config, MediaProcessor media) {
        return new DocumentParser(config.repairDamagedPdfs(), media, new DocumentParser.Limits(config.maxTextChars(),
                config.maxPages(), config.maxCompressionRatio()));
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
    MediaProcessor media(OcrConfig ocr, AsrConfig asr, ImageDecoder decoder, PageRenderer renderer, OmniragConfig home,
            dev.omnirag.server.config.ImageConfig images) {
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
            audio = new FfmpegAudioDecoder(asr.ffmpegPath(), asr.ffprobePath(), asr.maxDuration(), asr.timeout());
            transcriber = asr.whisperModel().isPresent()
                    ? new dev.omnirag.media.WhisperTranscriber(asr.whisperModel().get(), asr.whisperLanguage(),
                            asr.whisperThreads().orElse(Runtime.getRuntime().availableProcessors()),
                            (int) Math.max(30, Math.min(7200, asr.whisperPiece().toSeconds())))
                    : new PocketSphinxTranscriber(asr.pocketsphinxPath(), asr.timeout());
            LOG.infof("Speech recognition: %s, decoding with %s", transcriber, asr.ffmpegPath());
        }
        return new MediaProcessor(engine, decoder, renderer, audio, transcriber, ocr.pdfDpi(), ocr.minTextChars(),
                ocr.recoverDamagedScans(), captioner(images.caption()), images.caption().scannedPages());
    }

    /** The vision model that captions pictures, when omnirag.image.caption.base-url and .model are both set. */
    private static dev.omnirag.server.ingest.ImageCaptioner captioner(dev.omnirag.server.config.ImageConfig.Caption c) {
        if (c.baseUrl().isEmpty() && c.model().isEmpty()) {
            return null;
        }
        if (c.baseUrl().isEmpty() || c.model().isEmpty()) {
            throw new IllegalArgumentException("omnirag.image.caption.base-url and omnirag.image.caption.model must be set "
                    + "together; base-url=" + c.baseUrl().orElse("(unset)") + ", model=" + c.model().orElse("(unset)"));
        }
        OpenAiChatClient client = OpenAiChatClient.builder()
                .baseUrl(c.baseUrl().get())
                .apiKey(c.apiKey().orElse(null))
                .connectTimeout(c.connectTimeout())
                .readTimeout(c.timeout())
                .maxRetries(c.maxRetries())
                .retryBackoff(c.retryBackoff())
                .build();
        var captioner = new dev.omnirag.server.ingest.ImageCaptioner(client, c.model().get(), c.prompt(), c.maxTokens(),
                c.maxSide());
        LOG.infof("Image captions: %s", captioner);
        return captioner;
    }

    void closeMedia(@Disposes MediaProcessor media) {
        if (media.ocr() != null) {
            media.ocr().close();
        }
        if (media.transcriber() != null) {
            media.transcriber().close();
        }
    }

    /** The text embedder, the optional multimodal embedder (CLIP export or remote server) and the optional companion. */
    @Produces
    @Singleton
    EmbeddingSpaces spaces(Embedder text, MultimodalConfig config, EmbedderConfig embedderConfig, IndexConfig index) {
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
        Embedder companion = null;
        if (embedderConfig.companion() != EmbedderConfig.Companion.NONE) {
            if (index.backend() != IndexConfig.Backend.LUCENE) {
                throw new IllegalArgumentException("omnirag.embedder.companion=" + embedderConfig.companion()
                        + " needs omnirag.index.backend=LUCENE (pgvector tables have no companion vector column); "
                        + "omnirag.index.backend=" + index.backend());
            }
            OnnxTextEmbedder.Builder b = OnnxTextEmbedder.e5SmallV2Builder().batchSize(embedderConfig.batchSize())
                    .spinWait(embedderConfig.spinWait());
            embedderConfig.threads().ifPresent(b::threads);
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
