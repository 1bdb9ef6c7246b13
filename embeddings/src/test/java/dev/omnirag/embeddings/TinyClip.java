package dev.omnirag.embeddings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tiny dual encoder in the layout of a CLIP export, written by tests: a 3-d "colour space" whose outputs can
 * be computed by hand.
 * <ul>
 *   <li>vision.onnx: {@code GlobalAveragePool} of the normalised pixels (mean per channel) → {@code Flatten} →
 *       {@code MatMul} with {@code 2·I}: the image vector is twice the channel means, i.e. after L2
 *       normalisation the direction of the mean normalised colour;</li>
 *   <li>text.onnx: {@code Gather} of a token embedding table → {@code ReduceMean} over tokens: {@code red} is
 *       (1, -1, -1), {@code green} (-1, 1, -1), {@code blue} (-1, -1, 1), every other word ({@code [UNK]}) is
 *       (0.01, 0.01, 0.01);</li>
 *   <li>preprocessing: crop size 8, mean 0.5 and std 0.5 per channel, so pure red pixels become (1, -1, -1).</li>
 * </ul>
 */
public final class TinyClip {

    public static final int SIZE = 8;
    public static final float UNK = 0.01f;
    static final float[][] WORDS = {{UNK, UNK, UNK}, {1, -1, -1}, {-1, 1, -1}, {-1, -1, 1}};

    private TinyClip() {}

    /** Writes the four files into {@code dir} (created if needed) and returns it. */
    public static Path write(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(ClipOnnxEmbedder.VISION_MODEL), vision());
            Files.write(dir.resolve(ClipOnnxEmbedder.TEXT_MODEL), text());
            Files.writeString(dir.resolve(ClipOnnxEmbedder.TOKENIZER), TOKENIZER_JSON);
            Files.writeString(
                    dir.resolve(ClipOnnxEmbedder.PREPROCESSOR),
                    "{\"crop_size\": {\"height\": 8, \"width\": 8}, \"image_mean\": [0.5, 0.5, 0.5], "
                            + "\"image_std\": [0.5, 0.5, 0.5], \"context_length\": 16}");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] vision() {
        float[] twoI = {2, 0, 0, 0, 2, 0, 0, 0, 2};
        return TinyOnnx.model(TinyOnnx.graph(
                "tiny_vision",
                new TinyOnnx.Proto[] {
                    TinyOnnx.node("GlobalAveragePool", new String[] {"pixel_values"}, "pooled"),
                    TinyOnnx.node("Flatten", new String[] {"pooled"}, "flat", TinyOnnx.intAttribute("axis", 1)),
                    TinyOnnx.node("MatMul", new String[] {"flat", "projection"}, "image_embeds")
                },
                new TinyOnnx.Proto[] {TinyOnnx.floatTensor("projection", new long[] {3, 3}, twoI)},
                new TinyOnnx.Proto[] {TinyOnnx.tensorValue("pixel_values", TinyOnnx.FLOAT, "batch", 3, SIZE, SIZE)},
                new TinyOnnx.Proto[] {TinyOnnx.tensorValue("image_embeds", TinyOnnx.FLOAT, "batch", 3)}));
    }

    static byte[] text() {
        float[] table = new float[WORDS.length * 3];
        for (int i = 0; i < WORDS.length; i++) {
            System.arraycopy(WORDS[i], 0, table, i * 3, 3);
        }
        return TinyOnnx.model(TinyOnnx.graph(
                "tiny_text",
                new TinyOnnx.Proto[] {
                    TinyOnnx.node(
                            "Gather",
                            new String[] {"token_table", "input_ids"},
                            "tokens",
                            TinyOnnx.intAttribute("axis", 0)),
                    TinyOnnx.node(
                            "ReduceMean",
                            new String[] {"tokens"},
                            "text_embeds",
                            TinyOnnx.intsAttribute("axes", 1),
                            TinyOnnx.intAttribute("keepdims", 0))
                },
                new TinyOnnx.Proto[] {TinyOnnx.floatTensor("token_table", new long[] {WORDS.length, 3}, table)},
                new TinyOnnx.Proto[] {TinyOnnx.tensorValue("input_ids", TinyOnnx.INT64, "batch", "sequence")},
                new TinyOnnx.Proto[] {TinyOnnx.tensorValue("text_embeds", TinyOnnx.FLOAT, "batch", 3)}));
    }

    /** A word-level Hugging Face tokenizer: lower-cases, splits on whitespace and punctuation. */
    static final String TOKENIZER_JSON = """
            {
              "version": "1.0",
              "truncation": null,
              "padding": null,
              "added_tokens": [
                {"id": 0, "content": "[UNK]", "single_word": false, "lstrip": false, "rstrip": false,
                 "normalized": false, "special": true}
              ],
              "normalizer": {"type": "Lowercase"},
              "pre_tokenizer": {"type": "Whitespace"},
              "post_processor": null,
              "decoder": null,
              "model": {"type": "WordLevel", "vocab": {"[UNK]": 0, "red": 1, "green": 2, "blue": 3},
                        "unk_token": "[UNK]"}
            }
            """;
}
