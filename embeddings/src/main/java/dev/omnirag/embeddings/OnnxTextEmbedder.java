package dev.omnirag.embeddings;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A BERT-style text encoder run in process by ONNX Runtime, tokenised by the Hugging Face tokenizer (DJL).
 *
 * <p>Inputs can be batched: texts are sorted by token length and padded per batch. The default batch size is
 * 1 all the same, because on CPU it measured fastest for bge-small int8 (2 cores, 200 Cranfield abstracts:
 * 35 docs/s at 1, 30 at 8, 20 at 32) and because the int8 model quantizes activations per tensor, so a text's
 * vector would otherwise depend on its batch neighbours (cosine 0.993 instead of 1). Vectors are pooled (CLS
 * or mean) and L2-normalised. Immutable and thread safe (ONNX Runtime sessions allow concurrent runs).
 *
 * <p>The texts of one call are spread over {@code parallelRuns} concurrent inference runs, each on
 * {@code threads} ONNX Runtime threads (defaults: one run per core, one thread each). Independent single-threaded
 * runs measured 30 % faster than one run on every core (2 cores, 300 Cranfield abstracts in calls of 16 chunks:
 * 43 docs/s against 33): threads of one run wait for each other at every operator, and when anything else takes
 * a core (a JIT compiler, an index commit) both wait, while separate runs only slow the one that lost its core.
 * A single text (a query) runs on the caller's thread; a short query takes the same time either way (6 ms).
 *
 * <p>{@link #bgeSmallEnV15()} gives the default model, bge-small-en-v1.5 int8 (384-d), read from the
 * LangChain4j model jar on the class path: nothing is downloaded.
 *
 * <p>Long because one BERT-style ONNX session serves every pooling (CLS, mean), query instructions, token counting,
 * parallel runs of one call,
 * batching and the bundled model's loading, with a builder that validates each.
 */
public final class OnnxTextEmbedder implements Embedder {

    /** Pooling of the token vectors into one vector. */
    public enum Pooling {
        CLS,
        MEAN
    }

    /** bge v1.5's instruction for short queries that retrieve passages (from the model card). */
    public static final String BGE_QUERY_INSTRUCTION = "Represent this sentence for searching relevant passages: ";

    /** e5's prefixes: every query and every passage is marked (from the model card). */
    public static final String E5_QUERY_PREFIX = "query: ";

    public static final String E5_PASSAGE_PREFIX = "passage: ";

    private static final String BGE_MODEL = "bge-small-en-v1.5-q.onnx";
    private static final String BGE_TOKENIZER = "bge-small-en-v1.5-q-tokenizer.json";

    private final String spaceName;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    /** Same vocabulary without truncation, so token counts of long texts are true counts. */
    private final HuggingFaceTokenizer counter;

    private final Pooling pooling;
    private final String queryInstruction;
    private final String documentInstruction;
    private final int maxTokens;
    private final int batchSize;
    private final int parallelRuns;
    /** Helpers of the calling thread for the texts of one call; null with one run at a time. */
    private final ExecutorService runners;

    private final boolean needsTokenTypes;
    private final int dimensions;
    private final int threads;

    private OnnxTextEmbedder(Builder b, byte[] model, HuggingFaceTokenizer tokenizer, HuggingFaceTokenizer counter)
            throws OrtException {
        this.counter = counter;
        this.spaceName = b.spaceName;
        this.pooling = b.pooling;
        this.queryInstruction = b.queryInstruction;
        this.documentInstruction = b.documentInstruction;
        this.maxTokens = b.maxTokens;
        this.batchSize = b.batchSize;
        this.parallelRuns = b.parallelRuns;
        this.threads = b.threads;
        this.tokenizer = tokenizer;
        this.env = OnnxRuntimeEnvironment.get();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(b.threads);
            // Whether idle intra-op threads spin (the fastest alone) or sleep (leaves the cores to other work).
            options.addConfigEntry("session.intra_op.allow_spinning", b.spinWait ? "1" : "0");
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            this.session = env.createSession(model, options);
        }
        Set<String> inputs = session.getInputNames();
        this.needsTokenTypes = inputs.contains("token_type_ids");
        if (!inputs.contains("input_ids") || !inputs.contains("attention_mask")) {
            session.close();
            throw new EmbeddingException.NonRetriable(
                    "model must take input_ids and attention_mask; its inputs are " + inputs);
        }
        this.dimensions = run(List.of(encode("dimension probe"))).getFirst().length;
        // Platform threads: a run blocks in native code for its whole length.
        this.runners = parallelRuns > 1
                ? Executors.newFixedThreadPool(
                        parallelRuns - 1,
                        Thread.ofPlatform().daemon().name("onnx-run-", 1).factory())
                : null;
    }

    /** The default embedder: bge-small-en-v1.5 int8, CLS pooling, with bge's query instruction. */
    public static OnnxTextEmbedder bgeSmallEnV15() {
        return bgeSmallEnV15Builder().build();
    }

    /** A builder preset for bge-small-en-v1.5 int8 from the class path; threads and batch size may be changed. */
    public static Builder bgeSmallEnV15Builder() {
        return builder()
                .spaceName("bge-small-en-v1.5-int8")
                .modelResource(BGE_MODEL)
                .tokenizerResource(BGE_TOKENIZER)
                .pooling(Pooling.CLS)
                .queryInstruction(BGE_QUERY_INSTRUCTION);
    }

    /**
     * e5-small-v2 int8 (384-d, mean pooling, "query: " / "passage: " prefixes) from the LangChain4j model jar on the
     * class path: the companion embedder of the quality search profile, a second opinion beside bge.
     */
    public static OnnxTextEmbedder e5SmallV2() {
        return e5SmallV2Builder().build();
    }

    /** A builder preset for e5-small-v2 int8 from the class path; threads and batch size may be changed. */
    public static Builder e5SmallV2Builder() {
        return builder()
                .spaceName("e5-small-v2-int8")
                .modelResource("e5-small-v2-q.onnx")
                .tokenizerResource("e5-small-v2-q-tokenizer.json")
                .pooling(Pooling.MEAN)
                .queryInstruction(E5_QUERY_PREFIX)
                .documentInstruction(E5_PASSAGE_PREFIX);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String spaceName() {
        return spaceName;
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    @Override
    public int maxTokens() {
        return maxTokens;
    }

    @Override
    public int countTokens(String text) {
        return counter.encode(text, false, false).getIds().length;
    }

    @Override
    public java.util.Optional<String> decode(int[] tokens) {
        Objects.requireNonNull(tokens, "tokens must not be null");
        long[] ids = new long[tokens.length];
        int vocabulary = vocabularySize();
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= vocabulary) {
                return java.util.Optional.empty();
            }
            ids[i] = tokens[i];
        }
        return java.util.Optional.of(counter.decode(ids, true));
    }

    /** Size of the tokenizer's vocabulary: ids at or above it are not this tokenizer's. */
    private int vocabularySize() {
        int size = vocabulary;
        if (size == 0) {
            // The tokenizer has no size query: the largest id that decodes to a token, found by bisection.
            int lo = 0;
            int hi = 1 << 22;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                String piece = counter.decode(new long[] {mid - 1}, false);
                if (piece != null && !piece.isEmpty()) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            vocabulary = size = lo;
        }
        return size;
    }

    private volatile int vocabulary;

    @Override
    public float[] embedQuery(String query) {
        Objects.requireNonNull(query, "query must not be null");
        return embedAll(List.of(queryInstruction + query)).getFirst();
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        Objects.requireNonNull(texts, "texts must not be null");
        if (documentInstruction.isEmpty()) {
            return embedAll(texts);
        }
        List<String> prefixed = new ArrayList<>(texts.size());
        for (String text : texts) {
            prefixed.add(documentInstruction + Objects.requireNonNull(text, "texts must not contain null"));
        }
        return embedAll(prefixed);
    }

    private List<float[]> embedAll(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<Encoding> encodings = new ArrayList<>(texts.size());
        for (String text : texts) {
            encodings.add(encode(Objects.requireNonNull(text, "texts must not contain null")));
        }
        // Sort by length, longest first: each padded batch holds similar lengths, and concurrent runs finish
        // together when the long texts go first. Results go back to input order.
        Integer[] order = new Integer[texts.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingInt(i -> -encodings.get(i).getIds().length));
        float[][] out = new float[texts.size()][];
        int batches = (order.length + batchSize - 1) / batchSize;
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            for (int b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
                int start = b * batchSize;
                int end = Math.min(order.length, start + batchSize);
                List<Encoding> batch = new ArrayList<>(end - start);
                for (int i = start; i < end; i++) {
                    batch.add(encodings.get(order[i]));
                }
                List<float[]> vectors = run(batch);
                for (int i = start; i < end; i++) {
                    out[order[i]] = vectors.get(i - start);
                }
            }
        };
        int helpers = runners == null ? 0 : Math.min(parallelRuns, batches) - 1;
        if (helpers <= 0) {
            work.run();
            return Arrays.asList(out);
        }
        List<Future<?>> started = new ArrayList<>(helpers);
        for (int h = 0; h < helpers; h++) {
            started.add(runners.submit(work));
        }
        RuntimeException failure = null;
        try {
            // The caller works too: the call completes even when every helper is busy with another call.
            work.run();
        } catch (RuntimeException e) {
            failure = e;
            next.set(batches); // no helper starts another batch
        }
        boolean interrupted = false;
        for (Future<?> f : started) {
            while (true) {
                try {
                    f.get(); // a batch takes milliseconds: wait for the helpers even when interrupted
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof RuntimeException r
                                ? r
                                : new EmbeddingException.NonRetriable(
                                        "ONNX inference failed for " + spaceName + ": " + e.getCause(), e.getCause());
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
        return Arrays.asList(out);
    }

    private Encoding encode(String text) {
        return tokenizer.encode(text.isEmpty() ? " " : text);
    }

    private List<float[]> run(List<Encoding> batch) {
        int rows = batch.size();
        int width = 0;
        for (Encoding e : batch) {
            width = Math.max(width, e.getIds().length);
        }
        long[][] ids = new long[rows][width];
        long[][] mask = new long[rows][width];
        long[][] types = new long[rows][width];
        for (int r = 0; r < rows; r++) {
            long[] rowIds = batch.get(r).getIds();
            long[] rowMask = batch.get(r).getAttentionMask();
            long[] rowTypes = batch.get(r).getTypeIds();
            System.arraycopy(rowIds, 0, ids[r], 0, rowIds.length);
            System.arraycopy(rowMask, 0, mask[r], 0, rowMask.length);
            System.arraycopy(rowTypes, 0, types[r], 0, rowTypes.length);
        }
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, ids));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, mask));
            if (needsTokenTypes) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, types));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][][] hidden = (float[][][]) result.get(0).getValue();
                List<float[]> vectors = new ArrayList<>(rows);
                for (int r = 0; r < rows; r++) {
                    vectors.add(Vectors.normalise(pool(hidden[r], mask[r])));
                }
                return vectors;
            }
        } catch (OrtException e) {
            throw new EmbeddingException.NonRetriable(
                    "ONNX inference failed for " + spaceName + ": " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private float[] pool(float[][] tokens, long[] mask) {
        if (pooling == Pooling.CLS) {
            return tokens[0].clone();
        }
        float[] sum = new float[tokens[0].length];
        int n = 0;
        for (int t = 0; t < tokens.length; t++) {
            if (mask[t] == 0) {
                continue;
            }
            n++;
            for (int d = 0; d < sum.length; d++) {
                sum[d] += tokens[t][d];
            }
        }
        for (int d = 0; d < sum.length; d++) {
            sum[d] /= Math.max(1, n);
        }
        return sum;
    }

    @Override
    public void close() {
        if (runners != null) {
            runners.shutdown();
        }
        try {
            session.close();
        } catch (OrtException e) {
            // Closing frees native memory only; nothing to recover.
        }
        tokenizer.close();
        counter.close();
    }

    @Override
    public String toString() {
        return "OnnxTextEmbedder[" + spaceName + ", " + dimensions + "d, pooling=" + pooling + ", " + parallelRuns
                + " parallel run(s) of " + threads + " thread(s)]";
    }

    /** Builds an {@link OnnxTextEmbedder}; exactly one model source and one tokenizer source are required. */
    public static final class Builder {
        private String spaceName;
        private Path modelPath;
        private String modelResource;
        private Path tokenizerPath;
        private String tokenizerResource;
        private Pooling pooling = Pooling.MEAN;
        private String queryInstruction = "";
        private String documentInstruction = "";
        private int maxTokens = 512;
        private int batchSize = 1;
        private int threads = 1;
        private int parallelRuns = Runtime.getRuntime().availableProcessors();
        private boolean spinWait = true;

        private Builder() {}

        /** Name of the vector space, e.g. {@code bge-small-en-v1.5-int8}. Required. */
        public Builder spaceName(String spaceName) {
            this.spaceName = spaceName;
            return this;
        }

        /** An ONNX model file on disk. */
        public Builder modelPath(Path modelPath) {
            this.modelPath = modelPath;
            this.modelResource = null;
            return this;
        }

        /** An ONNX model on the class path. */
        public Builder modelResource(String modelResource) {
            this.modelResource = modelResource;
            this.modelPath = null;
            return this;
        }

        /** A Hugging Face {@code tokenizer.json} on disk. */
        public Builder tokenizerPath(Path tokenizerPath) {
            this.tokenizerPath = tokenizerPath;
            this.tokenizerResource = null;
            return this;
        }

        /** A Hugging Face {@code tokenizer.json} on the class path. */
        public Builder tokenizerResource(String tokenizerResource) {
            this.tokenizerResource = tokenizerResource;
            this.tokenizerPath = null;
            return this;
        }

        /** CLS (bge) or mean pooling (MiniLM, e5). Default MEAN. */
        public Builder pooling(Pooling pooling) {
            this.pooling = pooling;
            return this;
        }

        /** Prefix added to queries, never to documents. Default empty. */
        public Builder queryInstruction(String queryInstruction) {
            this.queryInstruction = queryInstruction;
            return this;
        }

        /** Prefix added to documents, never to queries (e5 models: {@code "passage: "}, with {@code "query: "} as the query instruction). Default empty. */
        public Builder documentInstruction(String documentInstruction) {
            this.documentInstruction = documentInstruction;
            return this;
        }

        /** Tokens the model reads, special tokens included, 8..8192. Default 512. */
        public Builder maxTokens(int maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        /** Texts per inference call, 1..1024. Default 1 (see the class comment for why). */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Whether ONNX Runtime's idle intra-op threads spin waiting for work (default, fastest when nothing else
         * runs) or sleep, leaving the cores to the rest of the process (parsing, indexing, other requests).
         */
        public Builder spinWait(boolean spinWait) {
            this.spinWait = spinWait;
            return this;
        }

        /**
         * ONNX Runtime intra-op threads of each inference run, 1..256. Default 1 (see the class comment); with
         * {@code parallelRuns(1)}, the number of cores makes one call as fast as one run can be.
         */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /**
         * Inference runs one call's texts are spread over at the same time, 1..256. Default: available processors.
         * The embedder keeps {@code parallelRuns - 1} threads (the caller's thread is the last run); a call of one
         * text uses only the caller's.
         */
        public Builder parallelRuns(int parallelRuns) {
            this.parallelRuns = parallelRuns;
            return this;
        }

        public OnnxTextEmbedder build() {
            if (spaceName == null || spaceName.isBlank()) {
                throw new IllegalArgumentException("spaceName must not be blank; spaceName=" + spaceName);
            }
            if (modelPath == null && modelResource == null) {
                throw new IllegalArgumentException("modelPath or modelResource is required; both are null");
            }
            if (tokenizerPath == null && tokenizerResource == null) {
                throw new IllegalArgumentException("tokenizerPath or tokenizerResource is required; both are null");
            }
            Objects.requireNonNull(pooling, "pooling must not be null");
            Objects.requireNonNull(queryInstruction, "queryInstruction must not be null");
            Objects.requireNonNull(documentInstruction, "documentInstruction must not be null");
            if (maxTokens < 8 || maxTokens > 8192) {
                throw new IllegalArgumentException("maxTokens must be in 8..8192; maxTokens=" + maxTokens);
            }
            if (batchSize < 1 || batchSize > 1024) {
                throw new IllegalArgumentException("batchSize must be in 1..1024; batchSize=" + batchSize);
            }
            if (threads < 1 || threads > 256) {
                throw new IllegalArgumentException("threads must be in 1..256; threads=" + threads);
            }
            if (parallelRuns < 1 || parallelRuns > 256) {
                throw new IllegalArgumentException("parallelRuns must be in 1..256; parallelRuns=" + parallelRuns);
            }
            Map<String, String> options = Map.of(
                    "maxLength",
                    Integer.toString(maxTokens),
                    "truncation",
                    "true",
                    "padding",
                    "false",
                    "modelMaxLength",
                    Integer.toString(maxTokens));
            Map<String, String> countOptions = Map.of("truncation", "false", "padding", "false");
            HuggingFaceTokenizer tokenizer = null;
            HuggingFaceTokenizer counter = null;
            try {
                byte[] model = modelPath != null
                        ? readFile("modelPath", modelPath)
                        : readResource("modelResource", modelResource);
                if (tokenizerPath != null) {
                    if (!Files.isRegularFile(tokenizerPath)) {
                        throw new EmbeddingException.NonRetriable(
                                "tokenizerPath is not a readable file; tokenizerPath=" + tokenizerPath);
                    }
                    tokenizer = HuggingFaceTokenizers.load(tokenizerPath, options);
                    counter = HuggingFaceTokenizers.load(tokenizerPath, countOptions);
                } else {
                    try (InputStream in = resource("tokenizerResource", tokenizerResource)) {
                        tokenizer = HuggingFaceTokenizers.load(in, options);
                    }
                    try (InputStream in = resource("tokenizerResource", tokenizerResource)) {
                        counter = HuggingFaceTokenizers.load(in, countOptions);
                    }
                }
                return new OnnxTextEmbedder(this, model, tokenizer, counter);
            } catch (IOException | OrtException e) {
                if (tokenizer != null) {
                    tokenizer.close();
                }
                if (counter != null) {
                    counter.close();
                }
                throw new EmbeddingException.NonRetriable(
                        "cannot load embedding model " + spaceName + ": " + e.getMessage(), e);
            }
        }

        private static byte[] readFile(String name, Path path) throws IOException {
            if (!Files.isRegularFile(path)) {
                throw new EmbeddingException.NonRetriable(name + " is not a readable file; " + name + "=" + path);
            }
            return Files.readAllBytes(path);
        }

        private static byte[] readResource(String name, String resource) throws IOException {
            try (InputStream in = resource(name, resource)) {
                return in.readAllBytes();
            }
        }

        private static InputStream resource(String name, String resource) {
            InputStream in = OnnxTextEmbedder.class.getClassLoader().getResourceAsStream(resource);
            if (in == null) {
                throw new EmbeddingException.NonRetriable(
                        name + " not found on the class path; " + name + "=" + resource);
            }
            return in;
        }
    }
}
