package dev.omnirag.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Speech recognition of audio uploads: decoding with ffmpeg, transcription with PocketSphinx or whisper.cpp. */
@ConfigMapping(prefix = "omnirag.asr")
public interface AsrConfig {

    /** Accept and transcribe audio files (WAV, FLAC, MP3, OGG, M4A). When off, audio uploads get 415. */
    @WithDefault("true")
    boolean enabled();

    /** The ffmpeg program (Debian package {@code ffmpeg}), a path or a name on PATH. */
    @WithDefault("ffmpeg")
    String ffmpegPath();

    /**
     * ffmpeg's {@code ffprobe} program (same Debian package), a path or a name on PATH; reads a recording's tags
     * (title, artist, comment, lyrics), which join its text stand-in. When it cannot run, tags are skipped.
     */
    @WithDefault("ffprobe")
    String ffprobePath();

    /** The PocketSphinx program (Debian packages {@code pocketsphinx}, {@code pocketsphinx-en-us}). */
    @WithDefault("pocketsphinx_continuous")
    String pocketsphinxPath();

    /**
     * A whisper.cpp ggml model file ({@code ggml-base.en.bin}, {@code ggml-large-v3-turbo.bin}...; the user
     * supplies it). When set, recordings are transcribed by whisper.cpp in process (whisper-jni) instead of
     * PocketSphinx; a missing or damaged file stops the start with a message naming it.
     */
    java.util.Optional<java.nio.file.Path> whisperModel();

    /** whisper.cpp: the spoken language ({@code en}, {@code de}...), or {@code auto} to detect it per recording. */
    @WithDefault("en")
    String whisperLanguage();

    /** whisper.cpp: CPU threads per transcription; default the number of CPU cores. */
    java.util.Optional<Integer> whisperThreads();

    /** whisper.cpp: recordings are fed in pieces of this length (bounds memory: 10 min of samples is 38 MB). */
    @WithDefault("10m")
    Duration whisperPiece();

    /** Longest recording accepted; longer ones fail with a reason. */
    @WithDefault("4h")
    Duration maxDuration();

    /** Longest time decoding or transcribing one recording may take (PocketSphinx runs near real time). */
    @WithDefault("8h")
    Duration timeout();

    /** Length of the transcript windows that become chunks. */
    @WithDefault("30s")
    Duration window();

    /** How much consecutive windows overlap. */
    @WithDefault("5s")
    Duration windowOverlap();
}
