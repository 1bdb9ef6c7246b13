package dev.omnirag.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits on decoding images (uploads, scanned pages, image queries), so a hostile file cannot exhaust memory. */
@ConfigMapping(prefix = "omnirag.image")
public interface ImageConfig {

    /**
     * Largest width × height of one image or rendered page, checked from the file's header before decoding
     * (4 bytes per pixel while decoded: the default allows about 160 MB per image).
     */
    @WithDefault("40000000")
    long maxPixels();

    /** Most frames read from one image file (pages of a TIFF, frames of a GIF). */
    @WithDefault("200")
    int maxFrames();

    /** Longest side, in pixels, of the rendering of a page or image given to the multimodal embedder. */
    @WithDefault("512")
    int embedSize();

    /** Captions of pictures by a vision model, which join their text stand-in. */
    Caption caption();

    /**
     * A vision-language model behind an OpenAI-compatible chat completions endpoint (vLLM, SGLang, llama.cpp,
     * Ollama, OpenAI) that captions every ingested image: the image goes as a data URL in the user message, and the
     * answer is added to the image's text stand-in. Off unless both {@code base-url} and {@code model} are set. A
     * caption that fails (server down, timeout, error answer) is logged and noted on the job; the job still
     * succeeds with the OCR text and the embedded description.
     */
    interface Caption {
        /** The server's OpenAI base URL with the version path, e.g. {@code http://vlm:8000/v1}. Unset: no captions. */
        java.util.Optional<String> baseUrl();

        /** The served vision model, e.g. {@code Qwen/Qwen2.5-VL-7B-Instruct}. Unset: no captions. */
        java.util.Optional<String> model();

        /** Sent as a bearer token when set. */
        java.util.Optional<String> apiKey();

        /** The instruction sent with each image. */
        @WithDefault("Describe this image in one to three sentences for a search index: what it shows, its kind "
                + "(photo, chart, diagram, screenshot, scan) and the main visible text.")
        String prompt();

        /** Most tokens of one caption. */
        @WithDefault("200")
        int maxTokens();

        /** Longest side, in pixels, of the image sent (larger images are scaled down; PNG or JPEG). */
        @WithDefault("1024")
        int maxSide();

        /** Also caption scanned PDF pages (pages read by OCR), not only image files. */
        @WithDefault("false")
        boolean scannedPages();

        /** Longest wait to open a connection. */
        @WithDefault("5s")
        java.time.Duration connectTimeout();

        /** Longest wait for the answer of one request. */
        @WithDefault("60s")
        java.time.Duration timeout();

        /** Retries of a refused connection, 408, 429 or 5xx answer (0..10; timeouts are not retried). */
        @WithDefault("2")
        int maxRetries();

        /** Backoff before the first retry, doubling for each further one. */
        @WithDefault("500ms")
        java.time.Duration retryBackoff();
    }
}
