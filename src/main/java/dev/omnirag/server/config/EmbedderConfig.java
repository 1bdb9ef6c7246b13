package dev.omnirag.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** The text embedder. The default runs bge-small-en-v1.5 (int8 ONNX) in process from the model jar. */
@ConfigMapping(prefix = "omnirag.embedder")
public interface EmbedderConfig {

    /**
     * ONNX Runtime threads of each inference run; default 1. Set it to the number of cores together with
     * {@code parallel-runs=1} for one run on every core (the behaviour before parallel runs; slower on the measured
     * machine, docs/benchmarks.md).
     */
    Optional<Integer> threads();

    /**
     * Inference runs the texts of one embedding call (an ingestion batch, an answer's sentences) are spread over at
     * the same time; default: cores ÷ {@code threads}. Independent single-threaded runs embedded 30 % more per
     * second than one run on both cores of a 2-core machine; a single text (a query) uses one run either way.
     */
    Optional<Integer> parallelRuns();

    /**
     * Whether ONNX Runtime's idle threads spin waiting for the next piece of work (fastest when the embedder runs
     * alone) or sleep, leaving the cores to parsing, indexing and other requests. Only runs of several
     * {@code threads} have idle threads.
     */
    @WithDefault("true")
    boolean spinWait();

    /** Texts per ONNX call; 1 measured fastest on CPU for the int8 model (see OnnxTextEmbedder). */
    @WithDefault("1")
    int batchSize();

    /** A user-supplied BERT-style ONNX model instead of bge-small; needs {@code tokenizer-path} too. */
    Optional<Path> modelPath();

    /** The {@code tokenizer.json} of {@code model-path}. */
    Optional<Path> tokenizerPath();

    /** Name of the vector space of {@code model-path} (collections remember it). */
    @WithDefault("custom-onnx")
    String spaceName();

    /** Pooling of {@code model-path}: CLS or MEAN. */
    @WithDefault("MEAN")
    dev.omnirag.embeddings.OnnxTextEmbedder.Pooling pooling();

    /** Instruction prefixed to queries for {@code model-path}; none when unset. */
    Optional<String> queryInstruction();

    /**
     * Other model names {@code /v1/embeddings} answers with the text embedder, for clients with a default model
     * name built in ({@code text-embedding-3-small}, LangChain's and LlamaIndex's defaults); the answer names the
     * real model. Unset: none.
     */
    Optional<java.util.List<String>> modelAliases();

    /**
     * Recent queries whose vectors are kept (an ask embeds its question for retrieval and again for the extractive
     * answer, a follow-up the questions before it); 0 keeps none.
     */
    @WithDefault("1024")
    int queryCacheSize();

    /** A second text model beside the main one (see {@code companion}). */
    enum Companion {
        /** None: the quality profile searches the main text vectors only. */
        NONE,
        /** e5-small-v2 int8 (384-d), in process from its model jar. */
        E5_SMALL_V2
    }

    /**
     * A second text embedder whose vectors the {@code quality} search profile fuses with the main ones (an ensemble
     * of two models: higher nDCG@10 on each collection of the evaluation pool, docs/evaluation.md). Collections
     * created while it is set get a second vector per chunk, which costs that model's embedding time at ingestion
     * (about as much again) and its index space; collections created before keep searching without it. Needs the
     * Lucene index backend.
     */
    @WithDefault("NONE")
    Companion companion();

    /** Threads of each inference run, with its default. */
    static int threadsOf(EmbedderConfig config) {
        return config.threads().orElse(1);
    }

    /** Parallel runs of one call, with its default (cores ÷ threads, at least 1). */
    static int parallelRunsOf(EmbedderConfig config) {
        return config.parallelRuns()
                .orElse(Math.max(1, Runtime.getRuntime().availableProcessors() / threadsOf(config)));
    }
}
