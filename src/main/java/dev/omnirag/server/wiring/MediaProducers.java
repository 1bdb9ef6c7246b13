package dev.omnirag.server.wiring;

import dev.omnirag.generator.OpenAiChatClient;
import dev.omnirag.media.AudioDecoder;
import dev.omnirag.media.FfmpegAudioDecoder;
import dev.omnirag.media.ImageDecoder;
import dev.omnirag.media.OcrEngine;
import dev.omnirag.media.PageRenderer;
import dev.omnirag.media.PocketSphinxTranscriber;
import dev.omnirag.media.TesseractOcrEngine;
import dev.omnirag.media.Transcriber;
import dev.omnirag.server.config.AsrConfig;
import dev.omnirag.server.config.ImageConfig;
import dev.omnirag.server.config.IngestConfig;
import dev.omnirag.server.config.Misconfiguration;
import dev.omnirag.server.config.OcrConfig;
import dev.omnirag.server.config.OmniragConfig;
import dev.omnirag.server.ingest.BlobStore;
import dev.omnirag.server.ingest.DocumentParser;
import dev.omnirag.server.ingest.MediaProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Builds the document side once, from configuration: the blob store, the parser, image decoding and page rendering,
 * and the OCR, speech and caption engines ({@link MediaProcessor}).
 */
@ApplicationScoped
public class MediaProducers {

    private static final Logger LOG = Logger.getLogger(MediaProducers.class);

    @Produces
    @Singleton
    BlobStore blobStore(OmniragConfig config) {
        return new BlobStore(config.home().resolve("blobs"));
    }

    @Produces
    @Singleton
    DocumentParser parser(IngestConfig config, MediaProcessor media) {
        return new DocumentParser(
                config.repairDamagedPdfs(),
                media,
                new DocumentParser.Limits(config.maxTextChars(), config.maxPages(), config.maxCompressionRatio()));
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
    MediaProcessor media(
            OcrConfig ocr,
            AsrConfig asr,
            ImageDecoder decoder,
            PageRenderer renderer,
            OmniragConfig home,
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
                    ? new dev.omnirag.media.WhisperTranscriber(
                            asr.whisperModel().get(),
                            asr.whisperLanguage(),
                            asr.whisperThreads().orElse(Runtime.getRuntime().availableProcessors()),
                            (int) Math.max(30, Math.min(7200, asr.whisperPiece().toSeconds())))
                    : new PocketSphinxTranscriber(asr.pocketsphinxPath(), asr.timeout());
            LOG.infof("Speech recognition: %s, decoding with %s", transcriber, asr.ffmpegPath());
        }
        return new MediaProcessor(
                engine,
                decoder,
                renderer,
                audio,
                transcriber,
                ocr.pdfDpi(),
                ocr.minTextChars(),
                ocr.recoverDamagedScans(),
                captioner(images.caption()),
                images.caption().scannedPages(),
                new MediaProcessor.FigureOcr(
                        ocr.figures().enabled(),
                        ocr.figures().minArea(),
                        ocr.figures().maxPerDocument()));
    }

    /** The vision model that captions pictures, when omnirag.image.caption.base-url and .model are both set. */
    private static dev.omnirag.server.ingest.ImageCaptioner captioner(dev.omnirag.server.config.ImageConfig.Caption c) {
        if (c.baseUrl().isEmpty() && c.model().isEmpty()) {
            return null;
        }
        if (c.baseUrl().isEmpty() || c.model().isEmpty()) {
            throw new Misconfiguration("omnirag.image.caption.base-url and omnirag.image.caption.model must be set "
                    + "together; base-url=" + c.baseUrl().orElse("(unset)") + ", model="
                    + c.model().orElse("(unset)"));
        }
        OpenAiChatClient client = new OpenAiChatClient(Misconfiguration.building(
                "omnirag.image.caption.*",
                () -> dev.omnirag.openai.OpenAiTransport.builder()
                        .serverName("captioning model")
                        .baseUrl(c.baseUrl().get())
                        .apiKey(c.apiKey().orElse(null))
                        .connectTimeout(c.connectTimeout())
                        .readTimeout(c.timeout())
                        .maxRetries(c.maxRetries())
                        .retryBackoff(c.retryBackoff())
                        .build()));
        var captioner = new dev.omnirag.server.ingest.ImageCaptioner(
                client, c.model().get(), c.prompt(), c.maxTokens(), c.maxSide());
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
}
