package dev.omnirag.reranker;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.omnirag.index.SearchHit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A cross-encoder (a model that reads the query and one passage together and scores how well the passage answers
 * it: bge-reranker, ms-marco MiniLM and the like) exported to ONNX, with its Hugging Face {@code tokenizer.json}.
 * No weights ship with Omnirag; point it at an export of your own ({@code optimum-cli export onnx --task
 * text-classification}).
 *
 * <p>Each (query, passage) pair is encoded as the model was trained ({@code [CLS] query [SEP] passage [SEP]},
 * token types 0 and 1), truncated to {@code maxLength} tokens (the longer side first), and run in batches of
 * {@code batchSize} padded to their longest pair. The model's inputs are {@code input_ids}, {@code attention_mask}
 * and, when the model has it, {@code token_type_ids}; its first output holds one logit per pair (or two: the
 * second, "relevant", is used). A hit's score is the logistic of its logit, in (0, 1). Hits are returned best
 * first; equal scores keep the first-stage order. Immutable after building and thread safe (ONNX Runtime sessions
 * and the tokenizer are).
 */
public final class OnnxCrossEncoderReranker implements Reranker, AutoCloseable {

    private final String name;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean needsTokenTypes;
    private final int batchSize;
    private final int maxLength;

    private OnnxCrossEncoderReranker(Builder b, OrtSession session, HuggingFaceTokenizer tokenizer) {
        this.name = b.name;
        this.env = dev.omnirag.embeddings.OnnxRuntimeEnvironment.get();
        this.session = session;
        this.tokenizer = tokenizer;
        this.needsTokenTypes = session.getInputNames().contains("token_type_ids");
        this.batchSize = b.batchSize;
        this.maxLength = b.maxLength;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Reranking rerank(RerankRequest request) {
        Objects.requireNonNull(request, "request must not be null");
        List<SearchHit> hits = request.hits();
        if (hits.isEmpty()) {
            return Reranking.applied(List.of());
        }
        double[] scores = new double[hits.size()];
        for (int start = 0; start < hits.size(); start += batchSize) {
            int end = Math.min(hits.size(), start + batchSize);
            List<Encoding> batch = new ArrayList<>(end - start);
            for (int i = start; i < end; i++) {
                String text = hits.get(i).text();
                batch.add(tokenizer.encode(request.query(), text == null || text.isEmpty() ? " " : text));
            }
            float[] logits = run(batch);
            for (int i = start; i < end; i++) {
                scores[i] = 1 / (1 + Math.exp(-logits[i - start]));
            }
        }
        return Reranking.judged(hits, scores, request.k());
    }

    private float[] run(List<Encoding> batch) {
        int rows = batch.size();
        int width = 0;
        for (Encoding e : batch) {
            width = Math.max(width, e.getIds().length);
        }
        long[][] ids = new long[rows][width];
        long[][] mask = new long[rows][width];
        long[][] types = new long[rows][width];
        for (int r = 0; r < rows; r++) {
            Encoding e = batch.get(r);
            System.arraycopy(e.getIds(), 0, ids[r], 0, e.getIds().length);
            System.arraycopy(e.getAttentionMask(), 0, mask[r], 0, e.getAttentionMask().length);
            System.arraycopy(e.getTypeIds(), 0, types[r], 0, e.getTypeIds().length);
        }
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, ids));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, mask));
            if (needsTokenTypes) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, types));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][] logits = (float[][]) result.get(0).getValue();
                float[] out = new float[rows];
                for (int r = 0; r < rows; r++) {
                    out[r] = logits[r][logits[r].length - 1];
                }
                return out;
            }
        } catch (OrtException | ClassCastException e) {
            throw new RerankException.NonRetriable("cross-encoder '" + name + "' failed: " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // Closing frees native memory only; nothing to recover.
        }
        tokenizer.close();
    }

    @Override
    public String toString() {
        return "OnnxCrossEncoderReranker[name=" + name + ", batchSize=" + batchSize + ", maxLength=" + maxLength + "]";
    }

    /** Builds an {@link OnnxCrossEncoderReranker}; setters check their argument and name it when refusing it. */
    public static final class Builder {
        private Path modelPath;
        private Path tokenizerPath;
        private String name = "cross-encoder";
        private int batchSize = 16;
        private int maxLength = 512;
        private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());

        private Builder() {}

        /** The ONNX export (required), such as {@code model.onnx}. */
        public Builder modelPath(Path modelPath) {
            this.modelPath = Objects.requireNonNull(modelPath, "modelPath must not be null");
            return this;
        }

        /** The model's Hugging Face {@code tokenizer.json} (required). */
        public Builder tokenizerPath(Path tokenizerPath) {
            this.tokenizerPath = Objects.requireNonNull(tokenizerPath, "tokenizerPath must not be null");
            return this;
        }

        /** The name in configuration and responses; default {@code cross-encoder}. */
        public Builder name(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank; name=" + name);
            }
            this.name = name;
            return this;
        }

        /** Pairs per ONNX call, 1..256; default 16. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1 || batchSize > 256) {
                throw new IllegalArgumentException("batchSize must be in 1..256; batchSize=" + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Tokens of one pair at most (query and passage together; the longer is cut first), 8..8192; default 512. */
        public Builder maxLength(int maxLength) {
            if (maxLength < 8 || maxLength > 8192) {
                throw new IllegalArgumentException("maxLength must be in 8..8192; maxLength=" + maxLength);
            }
            this.maxLength = maxLength;
            return this;
        }

        /** ONNX Runtime threads per call, 1..256; default the available processors. */
        public Builder threads(int threads) {
            if (threads < 1 || threads > 256) {
                throw new IllegalArgumentException("threads must be in 1..256; threads=" + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * Loads the model and the tokenizer.
         *
         * @throws IllegalStateException when modelPath or tokenizerPath was not set
         * @throws RerankException.NonRetriable when a file cannot be read or is not a model or tokenizer
         */
        public OnnxCrossEncoderReranker build() {
            if (modelPath == null) {
                throw new IllegalStateException("modelPath is required: the cross-encoder's ONNX export");
            }
            if (tokenizerPath == null) {
                throw new IllegalStateException("tokenizerPath is required: the cross-encoder's tokenizer.json");
            }
            for (Path p : List.of(modelPath, tokenizerPath)) {
                if (!Files.isRegularFile(p)) {
                    throw new RerankException.NonRetriable("cannot read " + p + ": not a readable file");
                }
            }
            HuggingFaceTokenizer tokenizer = null;
            try {
                tokenizer = dev.omnirag.embeddings.HuggingFaceTokenizers.load(
                        tokenizerPath,
                        Map.of(
                                "maxLength",
                                Integer.toString(maxLength),
                                "modelMaxLength",
                                Integer.toString(maxLength),
                                "truncation",
                                "true",
                                "padding",
                                "false"));
                OrtEnvironment env = dev.omnirag.embeddings.OnnxRuntimeEnvironment.get();
                try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                    options.setIntraOpNumThreads(threads);
                    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                    OrtSession session = env.createSession(Files.readAllBytes(modelPath), options);
                    return new OnnxCrossEncoderReranker(this, session, tokenizer);
                }
            } catch (IOException | OrtException | RuntimeException e) {
                if (tokenizer != null) {
                    tokenizer.close();
                }
                if (e instanceof RerankException re) {
                    throw re;
                }
                throw new RerankException.NonRetriable(
                        "cannot load cross-encoder " + name + " from " + modelPath + ": " + e.getMessage(), e);
            }
        }
    }
}
