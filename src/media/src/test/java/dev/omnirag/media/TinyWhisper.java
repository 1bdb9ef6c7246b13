package dev.omnirag.media;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes a tiny whisper.cpp model in ggml's legacy format (the {@code ggml-*.bin} files whisper.cpp's
 * {@code convert-pt-to-ggml.py} writes), so the real load and inference path of whisper.cpp runs without
 * downloadable weights: magic {@code ggml}, the hyper-parameters, the 80×201 mel filter bank, a vocabulary, then
 * every tensor of the encoder and decoder (name, ggml shape, f16 or f32 data). The dimensions are tiny (state 8, one
 * layer each, two heads) but the vocabulary and contexts have Whisper's real sizes (English-only: 51864 tokens,
 * 1500 audio positions, 448 text positions), because whisper.cpp derives its special tokens and window length
 * from them. Weights are seeded random numbers: the transcript is gibberish, its structure is real.
 */
public final class TinyWhisper {

    static final int N_VOCAB = 51864;
    static final int N_AUDIO_CTX = 1500;
    static final int N_TEXT_CTX = 448;
    static final int N_STATE = 8;
    static final int N_HEAD = 2;
    static final int N_LAYER = 1;
    static final int N_MELS = 80;
    static final int N_FFT = 201;
    /** Ordinary text tokens come before 50256, whisper's end-of-text token in the English vocabulary. */
    static final int N_TEXT_TOKENS = 50256;

    private TinyWhisper() {}

    /** Writes the model to {@code file} (about 3 MB) and returns it. */
    public static Path write(Path file, long seed) {
        Random random = new Random(seed);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (OutputStream raw = Files.newOutputStream(file);
                    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16))) {
                int32(out, 0x67676d6c); // "ggml"
                for (int v : new int[] {
                    N_VOCAB,
                    N_AUDIO_CTX,
                    N_STATE,
                    N_HEAD,
                    N_LAYER,
                    N_TEXT_CTX,
                    N_STATE,
                    N_HEAD,
                    N_LAYER,
                    N_MELS,
                    1 /* ftype: mostly f16 */
                }) {
                    int32(out, v);
                }
                // Mel filters: triangles over the FFT bins, as librosa's bank is shaped.
                int32(out, N_MELS);
                int32(out, N_FFT);
                for (int m = 0; m < N_MELS; m++) {
                    double centre = 1 + m * (N_FFT - 2) / (double) N_MELS;
                    for (int k = 0; k < N_FFT; k++) {
                        float32(out, (float) Math.max(0, 1 - Math.abs(k - centre) / 2.0) * 0.01f);
                    }
                }
                // Vocabulary: the ordinary tokens as short words; whisper.cpp names the special ones itself. Token 220
                // is a lone space, as in GPT-2's vocabulary: whisper.cpp looks it up to suppress blank starts.
                int32(out, N_TEXT_TOKENS);
                for (int i = 0; i < N_TEXT_TOKENS; i++) {
                    byte[] word = (i == 220 ? " " : " w" + Integer.toString(i, 36)).getBytes(StandardCharsets.UTF_8);
                    int32(out, word.length);
                    out.write(word);
                }
                int n = N_STATE;
                tensor(out, random, "encoder.positional_embedding", n, N_AUDIO_CTX);
                tensor(out, random, "encoder.conv1.weight", 3, N_MELS, n);
                tensor(out, random, "encoder.conv1.bias", 1, n);
                tensor(out, random, "encoder.conv2.weight", 3, n, n);
                tensor(out, random, "encoder.conv2.bias", 1, n);
                tensor(out, random, "encoder.ln_post.weight", n);
                tensor(out, random, "encoder.ln_post.bias", n);
                for (int l = 0; l < N_LAYER; l++) {
                    block(out, random, "encoder.blocks." + l + ".", false);
                }
                tensor(out, random, "decoder.positional_embedding", n, N_TEXT_CTX);
                tensor(out, random, "decoder.token_embedding.weight", n, N_VOCAB);
                tensor(out, random, "decoder.ln.weight", n);
                tensor(out, random, "decoder.ln.bias", n);
                for (int l = 0; l < N_LAYER; l++) {
                    block(out, random, "decoder.blocks." + l + ".", true);
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tiny whisper model to " + file, e);
        }
    }

    private static void block(DataOutputStream out, Random random, String prefix, boolean cross) throws IOException {
        int n = N_STATE;
        tensor(out, random, prefix + "mlp_ln.weight", n);
        tensor(out, random, prefix + "mlp_ln.bias", n);
        tensor(out, random, prefix + "mlp.0.weight", n, 4 * n);
        tensor(out, random, prefix + "mlp.0.bias", 4 * n);
        tensor(out, random, prefix + "mlp.2.weight", 4 * n, n);
        tensor(out, random, prefix + "mlp.2.bias", n);
        attention(out, random, prefix + "attn");
        if (cross) {
            attention(out, random, prefix + "cross_attn");
        }
    }

    private static void attention(DataOutputStream out, Random random, String prefix) throws IOException {
        int n = N_STATE;
        tensor(out, random, prefix + "_ln.weight", n);
        tensor(out, random, prefix + "_ln.bias", n);
        tensor(out, random, prefix + ".query.weight", n, n);
        tensor(out, random, prefix + ".query.bias", n);
        tensor(out, random, prefix + ".key.weight", n, n);
        tensor(out, random, prefix + ".value.weight", n, n);
        tensor(out, random, prefix + ".value.bias", n);
        tensor(out, random, prefix + ".out.weight", n, n);
        tensor(out, random, prefix + ".out.bias", n);
    }

    /**
     * One tensor: n_dims, name length, type, the ggml shape (innermost first), the name, the data. As in an f16
     * model, weight matrices and convolution kernels are f16 (type 1; whisper.cpp's im2col needs f16 kernels),
     * biases, norms and positional embeddings f32 (type 0).
     */
    private static void tensor(DataOutputStream out, Random random, String name, int... ne) throws IOException {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        boolean f16 = name.endsWith(".weight") && ne.length >= 2;
        int32(out, ne.length);
        int32(out, bytes.length);
        int32(out, f16 ? 1 : 0);
        long count = 1;
        for (int d : ne) {
            int32(out, d);
            count *= d;
        }
        out.write(bytes);
        ByteBuffer buffer = ByteBuffer.allocate(4 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < count; i++) {
            float v = (float) (random.nextGaussian() * 0.5);
            if (f16) {
                buffer.putShort(Float.floatToFloat16(v));
            } else {
                buffer.putFloat(v);
            }
            if (!buffer.hasRemaining()) {
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
        }
        out.write(buffer.array(), 0, buffer.position());
    }

    private static void int32(DataOutputStream out, int v) throws IOException {
        out.writeInt(Integer.reverseBytes(v));
    }

    private static void float32(DataOutputStream out, float v) throws IOException {
        out.writeInt(Integer.reverseBytes(Float.floatToRawIntBits(v)));
    }
}
