package dev.omnirag.media;

import io.github.givimad.whisperjni.WhisperContext;
import io.github.givimad.whisperjni.WhisperFullParams;
import io.github.givimad.whisperjni.WhisperJNI;
import io.github.givimad.whisperjni.WhisperSamplingStrategy;
import io.github.givimad.whisperjni.WhisperState;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Speech recognition with whisper.cpp in process, through whisper-jni (native libraries for Linux x86-64/arm64,
 * macOS and Windows inside its jar). The user supplies the model: a whisper.cpp {@code ggml-*.bin} file
 * ({@code ggml-base.en.bin}, {@code ggml-large-v3-turbo.bin}, ...), whose header is checked in Java before
 * whisper.cpp reads it, so a missing, truncated or foreign file fails with a message instead of taking the JVM
 * down. One model is loaded and shared; every transcription gets its own whisper state, so transcriptions may run
 * at once. Recordings are fed in pieces of {@code pieceSeconds} (whisper.cpp holds a piece's samples and mel
 * spectrogram in memory) and each piece is decoded in whisper's 30-second windows; a segment has the times
 * whisper gives (10 ms resolution), clamped to be in order, not to overlap and not to pass the end of the audio.
 * Words carry no times of their own. Thread safe; blocking; {@link #close()} frees the model.
 */
public final class WhisperTranscriber implements Transcriber {

    private static final System.Logger LOG = System.getLogger(WhisperTranscriber.class.getName());
    /** "ggml" as whisper.cpp's writer stores it (a little-endian uint32). */
    private static final int GGML_MAGIC = 0x67676d6c;

    private static final int SAMPLE_RATE = 16_000;
    private static final Object LIBRARY = new Object();
    private static volatile boolean libraryLoaded;

    private final Path model;
    private final String language;
    private final int threads;
    private final int pieceSeconds;
    private final WhisperJNI whisper;
    private final WhisperContext context;
    private int active;
    private boolean closed;
    private boolean freed;

    /**
     * Loads the model.
     *
     * @param model a whisper.cpp ggml model file
     * @param language the spoken language ({@code en}, {@code de}, ...; {@code auto} to detect it; English-only
     *     models ({@code *.en.bin}) always transcribe English)
     * @param threads CPU threads per transcription, 1..256
     * @param pieceSeconds length of the pieces a recording is fed in, 30..7200 s
     * @throws MediaException.Misconfigured when the file is missing, is not a whisper.cpp model, or whisper.cpp
     *     cannot load it
     */
    public WhisperTranscriber(Path model, String language, int threads, int pieceSeconds) {
        this.model = Objects.requireNonNull(model, "model must not be null");
        if (language == null || !language.matches("auto|[a-z]{2,3}")) {
            throw new IllegalArgumentException(
                    "language must be a Whisper language code such as en, or auto; language=" + language);
        }
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("threads must be in 1..256; threads=" + threads);
        }
        if (pieceSeconds < 30 || pieceSeconds > 7200) {
            throw new IllegalArgumentException("pieceSeconds must be in 30..7200; pieceSeconds=" + pieceSeconds);
        }
        this.language = language;
        this.threads = threads;
        this.pieceSeconds = pieceSeconds;
        checkModelFile(model);
        loadLibrary();
        this.whisper = new WhisperJNI();
        WhisperContext loaded;
        try {
            loaded = whisper.initNoState(model);
        } catch (IOException | RuntimeException e) {
            throw new MediaException.Misconfigured(
                    "whisper.cpp cannot load the model " + model + ": " + e.getMessage(), e);
        }
        if (loaded == null) {
            throw new MediaException.Misconfigured("whisper.cpp cannot load the model " + model
                    + " (damaged or from an incompatible whisper.cpp version); download a ggml model again");
        }
        this.context = loaded;
    }

    /**
     * Walks the file's structure (header, mel filters, vocabulary, every tensor's header and data size) and checks
     * that it is a whole whisper.cpp ggml model with sane hyper-parameters. whisper.cpp itself trusts the header
     * (absurd sizes would make it allocate without bound) and takes a file that ends before its tensors for an
     * empty test model.
     */
    static void checkModelFile(Path model) {
        if (!Files.isRegularFile(model)) {
            throw new MediaException.Misconfigured("the whisper model file " + model + " does not exist "
                    + "(omnirag.asr.whisper-model must name a whisper.cpp ggml-*.bin file)");
        }
        long size;
        try {
            size = Files.size(model);
        } catch (IOException e) {
            throw new MediaException.Misconfigured(
                    "cannot read the whisper model file " + model + ": " + e.getMessage(), e);
        }
        try (InputStream raw = Files.newInputStream(model);
                DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16))) {
            if (size < 4 + 11 * 4 + 8) {
                throw corrupt(model, "it is only " + size + " bytes");
            }
            int magic = Integer.reverseBytes(in.readInt());
            if (magic != GGML_MAGIC) {
                throw corrupt(
                        model,
                        String.format(
                                "it does not start with the ggml magic (0x%08x instead of 0x%08x); "
                                        + "GGUF and PyTorch/safetensors checkpoints are not whisper.cpp models",
                                magic, GGML_MAGIC));
            }
            String[] names = {
                "n_vocab",
                "n_audio_ctx",
                "n_audio_state",
                "n_audio_head",
                "n_audio_layer",
                "n_text_ctx",
                "n_text_state",
                "n_text_head",
                "n_text_layer",
                "n_mels",
                "ftype"
            };
            int[] max = {1_000_000, 100_000, 100_000, 1_000, 1_000, 100_000, 100_000, 1_000, 1_000, 1_000, 100_000};
            int[] h = new int[names.length];
            for (int i = 0; i < names.length; i++) {
                h[i] = Integer.reverseBytes(in.readInt());
                int min = i == names.length - 1 ? 0 : 1;
                if (h[i] < min || h[i] > max[i]) {
                    throw corrupt(model, "its header says " + names[i] + "=" + h[i]);
                }
            }
            if (h[2] % h[3] != 0 || h[6] % h[7] != 0) {
                throw corrupt(
                        model,
                        "its attention heads do not divide its state (" + h[2] + "/" + h[3] + ", " + h[6] + "/" + h[7]
                                + ")");
            }
            int nMel = Integer.reverseBytes(in.readInt());
            int nFft = Integer.reverseBytes(in.readInt());
            if (nMel != h[9] || nFft < 1 || nFft > 10_000) {
                throw corrupt(model, "its mel filters are " + nMel + "×" + nFft + " for " + h[9] + " mel bands");
            }
            skip(in, 4L * nMel * nFft, model, "its mel filters");
            int words = Integer.reverseBytes(in.readInt());
            if (words < 0 || words > h[0]) {
                throw corrupt(model, "its vocabulary has " + words + " tokens for n_vocab=" + h[0]);
            }
            for (int i = 0; i < words; i++) {
                int length = Integer.reverseBytes(in.readInt());
                if (length < 0 || length > 4096) {
                    throw corrupt(model, "token " + i + " of its vocabulary is " + length + " bytes long");
                }
                skip(in, length, model, "its vocabulary");
            }
            // The tensors: whisper.cpp would accept a file that ends before them as an "empty model for testing".
            int expected = 7 + 15 * h[4] + 4 + 24 * h[8];
            int tensors = 0;
            while (true) {
                int dims;
                try {
                    dims = Integer.reverseBytes(in.readInt());
                } catch (java.io.EOFException end) {
                    break;
                }
                int nameLength = Integer.reverseBytes(in.readInt());
                int type = Integer.reverseBytes(in.readInt());
                if (dims < 1 || dims > 4 || nameLength < 1 || nameLength > 256) {
                    throw corrupt(
                            model,
                            "tensor " + tensors + " has a malformed header (" + dims + " dimensions, a " + nameLength
                                    + "-byte name)");
                }
                long elements = 1;
                for (int d = 0; d < dims; d++) {
                    int ne = Integer.reverseBytes(in.readInt());
                    if (ne < 1 || ne > 10_000_000) {
                        throw corrupt(model, "tensor " + tensors + " has a dimension of " + ne);
                    }
                    elements *= ne;
                }
                byte[] name = in.readNBytes(nameLength);
                String tensor = new String(name, java.nio.charset.StandardCharsets.UTF_8);
                skip(in, tensorBytes(type, elements, model, tensor), model, "tensor " + tensor);
                tensors++;
            }
            if (tensors != expected) {
                throw corrupt(
                        model,
                        "it holds " + tensors + " tensors where its header implies " + expected
                                + (tensors < expected ? "; the file is truncated" : ""));
            }
        } catch (IOException e) {
            throw corrupt(model, "it cannot be read: " + e.getMessage());
        }
    }

    /** Bytes of a tensor's data: ggml's block sizes of f32, f16, bf16 and the quantised types whisper.cpp writes. */
    private static long tensorBytes(int type, long elements, Path model, String tensor) {
        int[] block; // {elements per block, bytes per block}
        switch (type) {
            case 0 -> block = new int[] {1, 4};
            case 1, 30 -> block = new int[] {1, 2};
            case 2 -> block = new int[] {32, 18};
            case 3 -> block = new int[] {32, 20};
            case 6 -> block = new int[] {32, 22};
            case 7 -> block = new int[] {32, 24};
            case 8 -> block = new int[] {32, 34};
            case 10 -> block = new int[] {256, 84};
            case 11 -> block = new int[] {256, 110};
            case 12 -> block = new int[] {256, 144};
            case 13 -> block = new int[] {256, 176};
            case 14 -> block = new int[] {256, 210};
            default -> throw corrupt(model, "tensor " + tensor + " has the unknown ggml type " + type);
        }
        if (elements % block[0] != 0) {
            throw corrupt(model, "tensor " + tensor + " has " + elements + " elements, not whole blocks of its type");
        }
        return elements / block[0] * block[1];
    }

    /** Skips exactly {@code n} bytes, or reports that the file ends inside {@code what}. */
    private static void skip(DataInputStream in, long n, Path model, String what) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw corrupt(model, "the file ends inside " + what + "; it is truncated");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static MediaException.Misconfigured corrupt(Path model, String why) {
        return new MediaException.Misconfigured(
                "the whisper model file " + model + " is not a valid whisper.cpp ggml " + "model: " + why);
    }

    private static void loadLibrary() {
        if (libraryLoaded) {
            return;
        }
        synchronized (LIBRARY) {
            if (!libraryLoaded) {
                try {
                    WhisperJNI.loadLibrary();
                    WhisperJNI.setLibraryLogger(line -> LOG.log(System.Logger.Level.DEBUG, line.stripTrailing()));
                } catch (IOException | UnsatisfiedLinkError e) {
                    throw new MediaException.Misconfigured(
                            "cannot load whisper.cpp's native library (whisper-jni) on " + System.getProperty("os.name")
                                    + "/" + System.getProperty("os.arch") + ": " + e.getMessage(),
                            e);
                }
                libraryLoaded = true;
            }
        }
    }

    @Override
    public String name() {
        return "whisper.cpp";
    }

    @Override
    public Transcript transcribe(Path wav16kMono) {
        synchronized (this) {
            if (closed) {
                throw new MediaException.Retriable("whisper.cpp is shutting down", null);
            }
            active++;
        }
        try {
            return transcribeOpen(wav16kMono);
        } finally {
            synchronized (this) {
                active--;
                if (closed && active == 0 && !freed) {
                    freed = true;
                    context.close();
                }
            }
        }
    }

    private Transcript transcribeOpen(Path wav16kMono) {
        List<Transcript.Segment> segments = new ArrayList<>();
        long last = 0;
        try (AudioInputStream audio = AudioSystem.getAudioInputStream(wav16kMono.toFile())) {
            AudioFormat f = audio.getFormat();
            if (f.getEncoding() != AudioFormat.Encoding.PCM_SIGNED
                    || f.getSampleRate() != SAMPLE_RATE
                    || f.getChannels() != 1
                    || f.getSampleSizeInBits() != 16
                    || f.isBigEndian()) {
                throw new MediaException.NonRetriable("whisper.cpp needs 16 kHz mono 16-bit PCM audio; got " + f);
            }
            byte[] buffer = new byte[pieceSeconds * SAMPLE_RATE * 2];
            long offsetMs = 0;
            while (true) {
                int n = audio.readNBytes(buffer, 0, buffer.length);
                int samples = n / 2;
                if (samples == 0) {
                    break;
                }
                float[] pcm = new float[samples];
                for (int i = 0; i < samples; i++) {
                    pcm[i] = (short) ((buffer[2 * i] & 0xff) | (buffer[2 * i + 1] << 8)) / 32768f;
                }
                long pieceMs = samples * 1000L / SAMPLE_RATE;
                for (Transcript.Segment s : transcribePiece(pcm, offsetMs, offsetMs + pieceMs)) {
                    long start = Math.max(last, s.startMs());
                    long end = Math.max(start, s.endMs());
                    segments.add(new Transcript.Segment(start, end, s.text(), List.of()));
                    last = end;
                }
                offsetMs += pieceMs;
                if (n < buffer.length) {
                    break;
                }
            }
        } catch (UnsupportedAudioFileException | IOException e) {
            throw new MediaException.NonRetriable(
                    "cannot read the decoded audio " + wav16kMono + ": " + e.getMessage(), e);
        }
        return new Transcript(segments);
    }

    /** Segments of one piece, with times from the start of the recording, ends clamped to the piece's end. */
    private List<Transcript.Segment> transcribePiece(float[] pcm, long offsetMs, long endMs) {
        WhisperFullParams params = new WhisperFullParams(WhisperSamplingStrategy.GREEDY);
        params.nThreads = threads;
        params.language = language;
        params.detectLanguage = language.equals("auto");
        params.printProgress = false;
        params.printRealtime = false;
        params.printTimestamps = false;
        List<Transcript.Segment> out = new ArrayList<>();
        try (WhisperState state = whisper.initState(context)) {
            if (state == null) {
                throw new MediaException.Retriable(
                        "whisper.cpp cannot allocate a decoding state (out of memory?)", null);
            }
            int result = whisper.fullWithState(context, state, params, pcm, pcm.length);
            if (result != 0) {
                throw new MediaException.NonRetriable(
                        "whisper.cpp failed to transcribe the recording (code " + result + ")");
            }
            int n = whisper.fullNSegmentsFromState(state);
            for (int i = 0; i < n; i++) {
                String text = whisper.fullGetSegmentTextFromState(state, i);
                if (text == null || text.isBlank()) {
                    continue;
                }
                // whisper's timestamps are in 10 ms units, relative to the piece.
                long start = Math.min(endMs, offsetMs + 10 * whisper.fullGetSegmentTimestamp0FromState(state, i));
                long end = Math.min(endMs, offsetMs + 10 * whisper.fullGetSegmentTimestamp1FromState(state, i));
                out.add(new Transcript.Segment(
                        Math.max(0, start),
                        Math.max(Math.max(0, start), end),
                        text.strip().replaceAll("\\s+", " "),
                        List.of()));
            }
        }
        return out;
    }

    /** Frees the model now, or when the transcriptions still running end (their native work cannot be stopped). */
    @Override
    public synchronized void close() {
        closed = true;
        if (active == 0 && !freed) {
            freed = true;
            context.close();
        }
    }

    @Override
    public String toString() {
        return "whisper.cpp (" + model.getFileName() + ", language " + language + ", " + threads + " threads)";
    }
}
