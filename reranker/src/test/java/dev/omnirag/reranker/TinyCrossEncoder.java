package dev.omnirag.reranker;

import dev.omnirag.embeddings.TinyOnnx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A tiny cross-encoder in the layout of a real export (inputs {@code input_ids}, {@code attention_mask},
 * {@code token_type_ids}; output {@code logits} of shape [batch, 1]), written by tests, whose logits can be computed
 * by hand: each token of the passage (token type 1) adds its weight from a table, {@code wing} 2, {@code drag} 1,
 * {@code flutter} 0.5, every other word 0; the query's tokens (type 0) and padding add nothing. Its tokenizer
 * lower-cases, splits words and encodes pairs as {@code [CLS] query [SEP] passage [SEP]}.
 */
final class TinyCrossEncoder {

    static final Map<String, Float> WEIGHTS = Map.of("wing", 2f, "drag", 1f, "flutter", 0.5f);
    private static final String[] VOCAB = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "wing", "drag", "flutter", "the", "cat"};

    private TinyCrossEncoder() {}

    /** Writes {@code model.onnx} and {@code tokenizer.json} into {@code dir}; returns it. */
    static Path write(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve("model.onnx"), model());
            Files.writeString(dir.resolve("tokenizer.json"), tokenizer());
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The logit the model gives a passage: the sum of its words' weights. */
    static double logit(String passage) {
        double sum = 0;
        for (String w : passage.toLowerCase(java.util.Locale.ROOT).split("\\W+")) {
            sum += WEIGHTS.getOrDefault(w, 0f);
        }
        return sum;
    }

    private static byte[] model() {
        float[] table = new float[VOCAB.length];
        for (int i = 0; i < VOCAB.length; i++) {
            table[i] = WEIGHTS.getOrDefault(VOCAB[i], 0f);
        }
        return TinyOnnx.model(TinyOnnx.graph(
                "tiny_cross_encoder",
                new TinyOnnx.Proto[] {
                    TinyOnnx.node(
                            "Gather",
                            new String[] {"weights", "input_ids"},
                            "token_weights",
                            TinyOnnx.intAttribute("axis", 0)),
                    TinyOnnx.node(
                            "Cast",
                            new String[] {"token_type_ids"},
                            "second",
                            TinyOnnx.intAttribute("to", TinyOnnx.FLOAT)),
                    TinyOnnx.node(
                            "Cast",
                            new String[] {"attention_mask"},
                            "mask",
                            TinyOnnx.intAttribute("to", TinyOnnx.FLOAT)),
                    TinyOnnx.node("Mul", new String[] {"token_weights", "second"}, "passage_weights"),
                    TinyOnnx.node("Mul", new String[] {"passage_weights", "mask"}, "masked"),
                    TinyOnnx.node(
                            "ReduceSum",
                            new String[] {"masked", "axes"},
                            "logits",
                            TinyOnnx.intAttribute("keepdims", 1))
                },
                new TinyOnnx.Proto[] {
                    TinyOnnx.floatTensor("weights", new long[] {VOCAB.length}, table),
                    TinyOnnx.int64Tensor("axes", new long[] {1}, new long[] {1})
                },
                new TinyOnnx.Proto[] {
                    TinyOnnx.tensorValue("input_ids", TinyOnnx.INT64, "batch", "sequence"),
                    TinyOnnx.tensorValue("attention_mask", TinyOnnx.INT64, "batch", "sequence"),
                    TinyOnnx.tensorValue("token_type_ids", TinyOnnx.INT64, "batch", "sequence")
                },
                new TinyOnnx.Proto[] {TinyOnnx.tensorValue("logits", TinyOnnx.FLOAT, "batch", 1)}));
    }

    private static String tokenizer() {
        StringBuilder vocab = new StringBuilder();
        for (int i = 0; i < VOCAB.length; i++) {
            vocab.append(i == 0 ? "" : ", ")
                    .append('"')
                    .append(VOCAB[i])
                    .append("\": ")
                    .append(i);
        }
        return """
                {
                  "version": "1.0",
                  "truncation": null,
                  "padding": null,
                  "added_tokens": [
                    {"id": 0, "content": "[PAD]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                    {"id": 1, "content": "[UNK]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                    {"id": 2, "content": "[CLS]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                    {"id": 3, "content": "[SEP]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}
                  ],
                  "normalizer": {"type": "Lowercase"},
                  "pre_tokenizer": {"type": "Whitespace"},
                  "post_processor": {
                    "type": "TemplateProcessing",
                    "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                               {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
                    "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                             {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                             {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
                    "special_tokens": {
                      "[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]},
                      "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}
                    }
                  },
                  "decoder": null,
                  "model": {"type": "WordLevel", "vocab": {VOCAB}, "unk_token": "[UNK]"}
                }
                """.replace("{VOCAB}", "{" + vocab + "}");
    }
}
