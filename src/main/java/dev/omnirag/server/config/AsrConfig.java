package dev.omnirag.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Speech recognition of audio uploads: decoding with ffmpeg, transcription with PocketSphinx. */
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
