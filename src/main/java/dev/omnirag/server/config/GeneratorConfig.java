package dev.omnirag.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The answer generator: the extractive default, or a language model behind an OpenAI-compatible server (vLLM,
 * SGLang, llama.cpp, Ollama, OpenAI) with the extractive generator as fallback. See docs/generation.md.
 */
@ConfigMapping(prefix = "omnirag.generator")
public interface GeneratorConfig {

    /** Which generator answers. */
    enum Kind {
        /** Quotes sentences of the passages; no model. */
        EXTRACTIVE,
        /** A language model behind an OpenAI-compatible chat server, the extractive generator as fallback. */
        OPENAI
    }

    /** {@code extractive} (quotes sentences, no model) or {@code openai} (an OpenAI-compatible chat server). */
    @WithDefault("extractive")
    Kind kind();

    /** The server's OpenAI base URL with its version path, e.g. {@code http://localhost:8000/v1}; for openai. */
    Optional<String> baseUrl();

    /** The model the server serves (vLLM's {@code --served-model-name}); for openai. */
    Optional<String> model();

    /** Sent as a bearer token (vLLM's {@code --api-key}); none when unset. */
    Optional<String> apiKey();

    /**
     * Sentences whose vectors the extractive answer keeps (the same passages come back for many questions; about
     * 1.7 KiB each at 384 dimensions); 0 keeps none.
     */
    @WithDefault("20000")
    int sentenceCacheSize();

    /**
     * Whether the extractive generator's sentence vectors are made ahead of time: while the server is idle (no
     * ingestion job queued or running, no search, ask or other request that does work for
     * {@code sentence-vectors-quiet}), the sentences of every chunk are
     * embedded and stored (about 1.5 KiB per sentence at 384 dimensions, five to fifteen sentences per chunk), and an answer
     * reads its passages' vectors instead of embedding them: the first text comes sooner and asks under load cost
     * about a search. Only with the extractive generator; an answer over chunks not done yet embeds as before.
     */
    @WithDefault("true")
    boolean sentenceVectors();

    /**
     * How long no request that does work (any but a GET: searches, asks, chat, embeddings, uploads) must have begun
     * before sentence vectors are made; one that begins stops the work within a few sentences.
     */
    @WithDefault("1s")
    Duration sentenceVectorsQuiet();

    /** Most tokens of an answer. */
    @WithDefault("1024")
    int maxTokens();

    /** Sampling temperature. */
    @WithDefault("0.2")
    double temperature();

    /** Longest wait to connect to the server. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** Longest wait for the first response bytes, and between two streamed pieces; past it the answer falls back. */
    @WithDefault("60s")
    Duration readTimeout();

    /** Retries of a refused connection, 429 or 5xx before any text streamed. */
    @WithDefault("2")
    int maxRetries();

    /** Backoff before the first retry; doubles per retry (with jitter). */
    @WithDefault("500ms")
    Duration retryBackoff();

    /** Longest backoff, also the cap on the server's Retry-After. */
    @WithDefault("8s")
    Duration maxBackoff();

    /** Consecutive failed calls that open the circuit breaker (then answers fall back at once). */
    @WithDefault("5")
    int breakerFailureThreshold();

    /** How long the open breaker refuses calls before one trial. */
    @WithDefault("30s")
    Duration breakerOpenDuration();

    /** Whether the model takes images: image sources are then sent as image_url parts. */
    @WithDefault("false")
    boolean vision();

    /** The model's context window in tokens (vLLM's {@code --max-model-len}); prompts are cut to fit it. */
    @WithDefault("32768")
    int contextTokens();

    /** Tokens one image counts for in the prompt budget. */
    @WithDefault("1280")
    int imageTokens();

    /** A JSON object merged into every chat request, e.g. {@code {"chat_template_kwargs":{"enable_thinking":false}}}. */
    Optional<String> extraBody();

    /** Replaces the built-in system prompt (instructions to answer from the numbered sources and cite [n]). */
    Optional<String> systemPrompt();

    /**
     * With an LLM generator, a follow-up question in a conversation is first rewritten by the model as a question
     * that stands alone ("what else did he say?" → "What else did Kennedy say in his moon speech?") and retrieval
     * searches for that; this is the rewrite's own deadline (no retry). When the model fails or is late, retrieval
     * uses the earlier questions' words instead ({@code omnirag.search.follow-up-*}). {@code 0s} turns the rewrite off.
     */
    @WithDefault("5s")
    Duration followUpRewriteTimeout();
}
