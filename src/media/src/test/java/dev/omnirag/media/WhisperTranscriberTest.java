package dev.omnirag.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * whisper.cpp through whisper-jni with a tiny ggml model the test writes ({@link TinyWhisper}): the real native
 * load and inference path on shared/media/audio/jfk.wav (the words are gibberish: the structure is asserted), and
 * clear errors for model files that are missing, foreign, truncated or corrupt.
 */
class WhisperTranscriberTest {

    @TempDir
    Path tmp;

    @Test
    void transcribesJfkWithTheTinyModelIntoOrderedSegmentsWithinTheRecording() throws IOException {
        long seed = 42;
        System.out.println("WhisperTranscriberTest model seed=" + seed);
        Path model = TinyWhisper.write(tmp.resolve("ggml-tiny-test.bin"), seed);
        Path wav = SharedData.file("media/audio/jfk.wav");
        long durationMs = (Files.size(wav) - 44) * 1000 / (16_000 * 2);
        try (WhisperTranscriber whisper = new WhisperTranscriber(model, "en", 1, 600)) {
            assertThat(whisper.name()).isEqualTo("whisper.cpp");
            long started = System.nanoTime();
            Transcript transcript = whisper.transcribe(wav);
            System.out.printf(
                    "tiny whisper on jfk.wav (%d ms of audio) in %d ms: %s%n",
                    durationMs, (System.nanoTime() - started) / 1_000_000, transcript.segments());
            List<Transcript.Segment> segments = transcript.segments();
            assertThat(segments).isNotEmpty();
            assertThat(transcript.isEmpty()).isFalse();
            long previousEnd = 0;
            for (Transcript.Segment s : segments) {
                assertThat(s.startMs()).isGreaterThanOrEqualTo(previousEnd);
                assertThat(s.endMs()).isGreaterThanOrEqualTo(s.startMs()).isLessThanOrEqualTo(durationMs);
                assertThat(s.text()).isNotBlank().isEqualTo(s.text().strip());
                previousEnd = s.endMs();
            }
            // The same model and audio give the same transcript (greedy decoding is deterministic).
            assertThat(whisper.transcribe(wav)).isEqualTo(transcript);
        }
    }

    @Test
    void piecesOfALongRecordingKeepTheirPlaceInTime() throws IOException {
        // 75 s of jfk.wav repeated, fed in 30-second pieces: segments of later pieces lie after the earlier ones.
        Path model = TinyWhisper.write(tmp.resolve("ggml-tiny-test.bin"), 42);
        byte[] jfk = Files.readAllBytes(SharedData.file("media/audio/jfk.wav"));
        byte[] pcm = Arrays.copyOfRange(jfk, 44, jfk.length);
        int total = 75 * 16_000 * 2;
        byte[] data = new byte[total];
        for (int at = 0; at < total; at += pcm.length) {
            System.arraycopy(pcm, 0, data, at, Math.min(pcm.length, total - at));
        }
        Path wav = tmp.resolve("long.wav");
        Files.write(wav, wav16kMono(data));
        try (WhisperTranscriber whisper = new WhisperTranscriber(model, "en", 1, 30)) {
            Transcript t = whisper.transcribe(wav);
            System.out.println("tiny whisper on 75 s in 30 s pieces: " + t.segments());
            assertThat(t.segments()).isNotEmpty();
            assertThat(t.segments().getLast().endMs()).isLessThanOrEqualTo(75_000);
            assertThat(t.segments().stream().anyMatch(s -> s.startMs() >= 30_000))
                    .as("a segment from a later piece")
                    .isTrue();
        }
    }

    @Test
    void aMissingModelFileIsNamedInTheError() {
        Path missing = tmp.resolve("ggml-base.en.bin");
        assertThatThrownBy(() -> new WhisperTranscriber(missing, "en", 1, 600))
                .isInstanceOf(MediaException.Misconfigured.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist")
                .hasMessageContaining("omnirag.asr.whisper-model");
    }

    @Test
    void foreignTruncatedAndCorruptModelFilesFailWithReasons() throws IOException {
        Path model = TinyWhisper.write(tmp.resolve("good.bin"), 7);
        byte[] good = Files.readAllBytes(model);

        byte[] random = new byte[4096];
        new Random(3).nextBytes(random);
        Path foreign = Files.write(tmp.resolve("foreign.bin"), random);
        assertThatThrownBy(() -> new WhisperTranscriber(foreign, "en", 1, 600))
                .isInstanceOf(MediaException.Misconfigured.class)
                .hasMessageContaining("ggml magic");

        Path gguf = Files.write(tmp.resolve("model.gguf"), "GGUF....".getBytes());
        assertThatThrownBy(() -> new WhisperTranscriber(gguf, "en", 1, 600))
                .isInstanceOf(MediaException.Misconfigured.class)
                .hasMessageContaining("not a valid whisper.cpp ggml model");

        Path truncated = Files.write(tmp.resolve("truncated.bin"), Arrays.copyOf(good, good.length / 3));
        assertThatThrownBy(() -> new WhisperTranscriber(truncated, "en", 1, 600))
                .isInstanceOf(MediaException.Misconfigured.class)
                .hasMessageContaining("truncated");
        // Cut inside the tensors (whisper.cpp would load a file cut before them as an empty test model).
        Path cutInTensors = Files.write(tmp.resolve("cut.bin"), Arrays.copyOf(good, good.length - 100));
        assertThatThrownBy(() -> new WhisperTranscriber(cutInTensors, "en", 1, 600))
                .isInstanceOf(MediaException.Misconfigured.class)
                .hasMessageContaining("ends inside tensor decoder.")
                .hasMessageContaining("truncated");

        byte[] absurd = good.clone();
        absurd[4] = (byte) 0xff; // n_vocab's low byte...
        absurd[7] = (byte) 0x7f; // ...and high byte: about two billion tokens
        Path corrupt = Files.write(tmp.resolve("corrupt.bin"), absurd);
        assertThatThrownBy(() -> new WhisperTranscriber(corrupt, "en", 1, 600))
                .isInstanceOf(MediaException.Misconfigured.class)
                .hasMessageContaining("n_vocab=");

        // The header is right but a tensor's name is not one whisper.cpp knows: whisper.cpp itself refuses it.
        byte[] renamed = good.clone();
        int at = indexOf(renamed, "encoder.conv1.weight".getBytes());
        renamed[at] = 'X';
        Path unknownTensor = Files.write(tmp.resolve("renamed.bin"), renamed);
        assertThatThrownBy(() -> new WhisperTranscriber(unknownTensor, "en", 1, 600))
                .isInstanceOf(MediaException.Misconfigured.class)
                .hasMessageContaining("whisper.cpp cannot load the model");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    /** A canonical 44-byte WAV header (16 kHz, mono, 16-bit PCM) before the samples. */
    private static byte[] wav16kMono(byte[] pcm) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + pcm.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + pcm.length).put("WAVE".getBytes());
        b.put("fmt ".getBytes())
                .putInt(16)
                .putShort((short) 1)
                .putShort((short) 1)
                .putInt(16_000)
                .putInt(32_000)
                .putShort((short) 2)
                .putShort((short) 16);
        b.put("data".getBytes()).putInt(pcm.length).put(pcm);
        return b.array();
    }
}
