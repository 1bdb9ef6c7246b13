package dev.omnirag.embeddings;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A dual encoder (CLIP, SigLIP, jina-clip) run in process by ONNX Runtime from a directory the user supplies,
 * the layout an ONNX export of such a model produces:
 * <ul>
 *   <li>{@code vision.onnx}: input {@code pixel_values} {@code [batch, 3, size, size]} float; output
 *       {@code image_embeds} (or its only/first output) {@code [batch, dimensions]};</li>
 *   <li>{@code text.onnx}: input {@code input_ids} {@code [batch, length]} (int64 or int32), optionally
 *       {@code attention_mask}; output {@code text_embeds} (or its first output) {@code [batch, dimensions]};</li>
 *   <li>{@code tokenizer.json}: the Hugging Face tokenizer of the text tower;</li>
 *   <li>{@code preprocessor_config.json}: {@code image_mean} and {@code image_std} (3 values each), and the
 *       image size as {@code crop_size} (an int or {@code {"height":h,"width":w}}), {@code image_size},
 *       {@code size.shortest_edge} or {@code size.height}; optionally {@code context_length} (text tokens, default 77).</li>
 * </ul>
 * Preprocessing (resize the short side, centre crop, normalise) is done in Java by {@link ImagePreprocessor};
 * both towers' outputs are L2-normalised, so a dot product compares an image with a text. Text towers with a
 * fixed input length are padded to it. Immutable and thread safe.
 *
 * <p>Long because both towers of a CLIP export (their sessions, input names, fixed-length text padding) and the builder
 * that validates a user-supplied model.
 */
public final class ClipOnnxEmbedder implements Embedder {

    public static final String VISION_MODEL = "vision.onnx";
    public static final String TEXT_MODEL = "text.onnx";
    public static final String TOKENIZER = "tokenizer.json";
    public static final String PREPROCESSOR = "preprocessor_config.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String spaceName;
    private final Path directory;
    private final OrtEnvironment env;
    private final OrtSession vision;
    private final OrtSession text;
    private final HuggingFaceTokenizer tokenizer;
    private final HuggingFaceTokenizer counter;
    private final ImagePreprocessor preprocessor;
    private final String pixelInput;
    private final String visionOutput;
    private final String textOutput;
    private final boolean textNeedsMask;
    private final boolean textInt32;
    private final int fixedTextLength;
    private final int contextLength;
    private final int dimensions;

    private ClipOnnxEmbedder(Builder b, ImagePreprocessor preprocessor, int contextLength)
            throws OrtException, IOException {
        this.spaceName = b.spaceName;
        this.directory = b.directory;
        this.preprocessor = preprocessor;
        this.contextLength = contextLength;
        this.env = OnnxRuntimeEnvironment.get();
        OrtSession v = null;
        OrtSession t = null;
        HuggingFaceTokenizer tok = null;
        HuggingFaceTokenizer cnt = null;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(b.threads);
            v = env.createSession(directory.resolve(VISION_MODEL).toString(), options);
            t = env.createSession(directory.resolve(TEXT_MODEL).toString(), options);
            Map<String, String> opts = Map.of(
                    "truncation",
                    "true",
                    "padding",
                    "false",
                    "maxLength",
                    Integer.toString(contextLength),
                    "modelMaxLength",
                    Integer.toString(contextLength));
            tok = HuggingFaceTokenizers.load(directory.resolve(TOKENIZER), opts);
            cnt = HuggingFaceTokenizers.load(
                    directory.resolve(TOKENIZER), Map.of("truncation", "false", "padding", "false"));
            this.pixelInput = v.getInputNames().contains("pixel_values")
                    ? "pixel_values"
                    : only(v.getInputNames(), "vision.onnx inputs");
            this.visionOutput = pickOutput(v, "image_embeds", VISION_MODEL);
            this.textOutput = pickOutput(t, "text_embeds", TEXT_MODEL);
            if (!t.getInputNames().contains("input_ids")) {
                throw new EmbeddingException.NonRetriable(
                        TEXT_MODEL + " in " + directory + " must take input_ids; its inputs are " + t.getInputNames());
            }
            this.textNeedsMask = t.getInputNames().contains("attention_mask");
            TensorInfo ids = (TensorInfo) t.getInputInfo().get("input_ids").getInfo();
            this.textInt32 = ids.type == OnnxJavaType.INT32;
            long[] shape = ids.getShape();
            this.fixedTextLength = shape.length == 2 && shape[1] > 0 ? (int) shape[1] : 0;
        } catch (OrtException | IOException | RuntimeException e) {
            closeAll(v, t, tok, cnt);
            throw e;
        }
        this.vision = v;
        this.text = t;
        this.tokenizer = tok;
        this.counter = cnt;
        int imageDims;
        int textDims;
        try {
            imageDims = runVision(List.of(
                            new BufferedImage(preprocessor.size(), preprocessor.size(), BufferedImage.TYPE_INT_RGB)))
                    .getFirst()
                    .length;
            textDims = runText(List.of("dimension probe")).getFirst().length;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        if (imageDims != textDims) {
            close();
            throw new EmbeddingException.NonRetriable("the towers in " + directory + " disagree: " + VISION_MODEL
                    + " gives " + imageDims + "-dimensional vectors, " + TEXT_MODEL + " gives " + textDims);
        }
        this.dimensions = imageDims;
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
    public Set<Modality> modalities() {
        return EnumSet.of(Modality.TEXT, Modality.IMAGE);
    }

    /** The preprocessing read from {@code preprocessor_config.json}. */
    public ImagePreprocessor preprocessor() {
        return preprocessor;
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        Objects.requireNonNull(texts, "texts must not be null");
        return runText(texts);
    }

    @Override
    public float[] embedQuery(String query) {
        Objects.requireNonNull(query, "query must not be null");
        return runText(List.of(query)).getFirst();
    }

    @Override
    public List<float[]> embedImages(List<BufferedImage> images) {
        Objects.requireNonNull(images, "images must not be null");
        return runVision(images);
    }

    @Override
    public int countTokens(String s) {
        return counter.encode(s, false, false).getIds().length;
    }

    @Override
    public int maxTokens() {
        return contextLength;
    }

    private List<float[]> runVision(List<BufferedImage> images) {
        List<float[]> out = new ArrayList<>(images.size());
        for (BufferedImage image : images) {
            float[][][][] pixels = {preprocessor.apply(Objects.requireNonNull(image, "images must not contain null"))};
            try (OnnxTensor input = OnnxTensor.createTensor(env, pixels);
                    OrtSession.Result result = vision.run(Map.of(pixelInput, input))) {
                out.add(Vectors.normalise(row(result, visionOutput, VISION_MODEL)));
            } catch (OrtException e) {
                throw new EmbeddingException.NonRetriable(
                        "vision inference failed for " + spaceName + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private List<float[]> runText(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (String s : texts) {
            Encoding encoding = tokenizer.encode(
                    Objects.requireNonNull(s, "texts must not contain null").isEmpty() ? " " : s);
            long[] ids = encoding.getIds();
            long[] mask = encoding.getAttentionMask();
            if (fixedTextLength > 0) {
                ids = Arrays.copyOf(ids, fixedTextLength);
                mask = Arrays.copyOf(mask, fixedTextLength);
            }
            Map<String, OnnxTensor> inputs = new HashMap<>();
            try {
                inputs.put("input_ids", tensor(ids));
                if (textNeedsMask) {
                    inputs.put("attention_mask", tensor(mask));
                }
                try (OrtSession.Result result = text.run(inputs)) {
                    out.add(Vectors.normalise(row(result, textOutput, TEXT_MODEL)));
                }
            } catch (OrtException e) {
                throw new EmbeddingException.NonRetriable(
                        "text inference failed for " + spaceName + ": " + e.getMessage(), e);
            } finally {
                inputs.values().forEach(OnnxTensor::close);
            }
        }
        return out;
    }

    private OnnxTensor tensor(long[] values) throws OrtException {
        if (textInt32) {
            int[][] ints = new int[1][values.length];
            for (int i = 0; i < values.length; i++) {
                ints[0][i] = Math.toIntExact(values[i]);
            }
            return OnnxTensor.createTensor(env, ints);
        }
        return OnnxTensor.createTensor(env, new long[][] {values});
    }

    private float[] row(OrtSession.Result result, String output, String model) throws OrtException {
        Object value = result.get(output).orElseThrow().getValue();
        if (value instanceof float[][] rows && rows.length == 1) {
            return rows[0].clone();
        }
        String shape = value instanceof float[][][]
                ? "[batch, tokens, dimensions]"
                : value.getClass().getSimpleName();
        throw new EmbeddingException.NonRetriable(model + " in " + directory + ": output " + output + " is " + shape
                + "; expected [batch, dimensions] (export the model with its projection head)");
    }

    private static String pickOutput(OrtSession session, String preferred, String model) throws OrtException {
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        if (outputs.containsKey(preferred)) {
            return preferred;
        }
        if (outputs.containsKey("embeddings")) {
            return "embeddings";
        }
        if (outputs.isEmpty()) {
            throw new EmbeddingException.NonRetriable(model + " has no outputs");
        }
        return outputs.keySet().iterator().next();
    }

    private static String only(Set<String> names, String what) {
        if (names.size() != 1) {
            throw new EmbeddingException.NonRetriable(
                    what + " must be pixel_values or a single input; they are " + names);
        }
        return names.iterator().next();
    }

    @Override
    public void close() {
        closeAll(vision, text, tokenizer, counter);
    }

    private static void closeAll(OrtSession v, OrtSession t, HuggingFaceTokenizer tok, HuggingFaceTokenizer cnt) {
        for (OrtSession s : new OrtSession[] {v, t}) {
            if (s != null) {
                try {
                    s.close();
                } catch (OrtException e) {
                    // native memory only
                }
            }
        }
        if (tok != null) {
            tok.close();
        }
        if (cnt != null) {
            cnt.close();
        }
    }

    @Override
    public String toString() {
        return "ClipOnnxEmbedder[" + spaceName + ", " + dimensions + "d, " + preprocessor.size() + "px, " + directory
                + "]";
    }

    /** Reads the preprocessing and text length from a {@code preprocessor_config.json}. */
    static ImagePreprocessor readPreprocessor(Path file, int[] contextLength) throws IOException {
        JsonNode json;
        try {
            json = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new EmbeddingException.NonRetriable(file + " is not valid JSON: " + e.getMessage(), e);
        }
        int size = 0;
        JsonNode crop = json.path("crop_size");
        if (crop.isInt()) {
            size = crop.asInt();
        } else if (crop.isObject()) {
            int h = crop.path("height").asInt();
            int w = crop.path("width").asInt();
            if (h != w) {
                throw new EmbeddingException.NonRetriable(
                        file + ": crop_size must be square; height=" + h + ", width=" + w);
            }
            size = h;
        }
        if (size == 0 && json.path("image_size").isInt()) {
            size = json.path("image_size").asInt();
        }
        if (size == 0 && json.path("size").isInt()) {
            size = json.path("size").asInt();
        }
        if (size == 0 && json.path("size").path("shortest_edge").isInt()) {
            size = json.path("size").path("shortest_edge").asInt();
        }
        if (size == 0 && json.path("size").path("height").isInt()) {
            // SigLIP-style {"size": {"height": 224, "width": 224}}
            size = json.path("size").path("height").asInt();
        }
        if (size <= 0) {
            throw new EmbeddingException.NonRetriable(file + " gives no image size: set crop_size or image_size");
        }
        float[] mean = floats(file, json, "image_mean", "mean");
        float[] std = floats(file, json, "image_std", "std");
        if (json.path("context_length").isInt()) {
            contextLength[0] = json.path("context_length").asInt();
        }
        try {
            return new ImagePreprocessor(size, mean, std);
        } catch (IllegalArgumentException e) {
            throw new EmbeddingException.NonRetriable(file + ": " + e.getMessage(), e);
        }
    }

    private static float[] floats(Path file, JsonNode json, String name, String alias) {
        JsonNode node = json.has(name) ? json.get(name) : json.get(alias);
        if (node == null || !node.isArray() || node.size() != 3) {
            throw new EmbeddingException.NonRetriable(file + ": " + name + " must be an array of 3 numbers (R, G, B)");
        }
        float[] out = new float[3];
        for (int i = 0; i < 3; i++) {
            out[i] = (float) node.get(i).asDouble();
        }
        return out;
    }

    /** Builds a {@link ClipOnnxEmbedder} from a model directory; validates the directory before loading. */
    public static final class Builder {
        private Path directory;
        private String spaceName;
        private int threads = Runtime.getRuntime().availableProcessors();

        private Builder() {}

        /** The directory holding vision.onnx, text.onnx, tokenizer.json and preprocessor_config.json. Required. */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /** Name of the vector space (collections remember it), e.g. {@code clip-vit-b32}. Required. */
        public Builder spaceName(String spaceName) {
            this.spaceName = spaceName;
            return this;
        }

        /** ONNX Runtime intra-op threads, 1..256. Default: available processors. */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public ClipOnnxEmbedder build() {
            if (directory == null) {
                throw new IllegalArgumentException("directory is required; directory=null");
            }
            if (spaceName == null || spaceName.isBlank()) {
                throw new IllegalArgumentException("spaceName must not be blank; spaceName=" + spaceName);
            }
            if (threads < 1 || threads > 256) {
                throw new IllegalArgumentException("threads must be in 1..256; threads=" + threads);
            }
            if (!Files.isDirectory(directory)) {
                throw new EmbeddingException.NonRetriable(
                        "directory is not a readable directory; directory=" + directory);
            }
            for (String file : List.of(VISION_MODEL, TEXT_MODEL, TOKENIZER, PREPROCESSOR)) {
                if (!Files.isRegularFile(directory.resolve(file))) {
                    throw new EmbeddingException.NonRetriable(
                            "the CLIP model directory " + directory + " has no " + file + " (it needs " + VISION_MODEL
                                    + ", " + TEXT_MODEL + ", " + TOKENIZER + " and " + PREPROCESSOR + ")");
                }
            }
            try {
                int[] context = {77};
                ImagePreprocessor preprocessor = readPreprocessor(directory.resolve(PREPROCESSOR), context);
                if (context[0] < 2 || context[0] > 8192) {
                    throw new EmbeddingException.NonRetriable(
                            "context_length must be in 2..8192; context_length=" + context[0]);
                }
                return new ClipOnnxEmbedder(this, preprocessor, context[0]);
            } catch (OrtException | IOException e) {
                throw new EmbeddingException.NonRetriable(
                        "cannot load the CLIP model in " + directory + ": " + e.getMessage(), e);
            }
        }
    }
}
