package dev.omnirag.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The optional multimodal embedder that gives images and scanned pages a native vector (beside the text vector
 * of their OCR text) and lets image queries search them. See docs/multimodal.md.
 */
@ConfigMapping(prefix = "omnirag.multimodal")
public interface MultimodalConfig {

    /** Which multimodal embedder: none, an ONNX dual encoder directory, or a remote OpenAI-compatible server. */
    enum Kind {
        NONE,
        CLIP_ONNX,
        OPENAI
    }

    /** {@code NONE} (default: text path only), {@code CLIP_ONNX} or {@code OPENAI}. */
    @WithDefault("NONE")
    Kind embedder();

    /** CLIP_ONNX: the export directory (vision.onnx, text.onnx, tokenizer.json, preprocessor_config.json). */
    Optional<Path> clipDirectory();

    /** The vector space's name, remembered by collections; default the directory name or the remote model. */
    Optional<String> spaceName();

    /** OPENAI: the API base URL, e.g. {@code http://gpu-box:8000/v1} ({@code /embeddings} is appended). */
    Optional<String> baseUrl();

    /** OPENAI: the served model's name. */
    Optional<String> model();

    /** OPENAI: sent as a bearer token when set. */
    Optional<String> apiKey();

    /** OPENAI: vector size; when unset the server is asked once at start-up. */
    Optional<Integer> dimensions();

    /** OPENAI: time limit of one request. */
    @WithDefault("60s")
    Duration timeout();

    /** ONNX Runtime threads for CLIP_ONNX; default the number of CPU cores. */
    Optional<Integer> threads();
}
