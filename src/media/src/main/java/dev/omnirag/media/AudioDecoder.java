package dev.omnirag.media;

import java.nio.file.Path;
import java.util.Map;

/**
 * Decodes a recording (WAV, FLAC, MP3, OGG, M4A, ...) to 16 kHz mono 16-bit PCM WAV, the input speech
 * recognisers take. Implementations check the file's integrity first (a truncated WAV fails rather than being
 * transcribed in part) and bound the duration. Blocking; thread safe.
 */
public interface AudioDecoder {

    /**
     * Writes the decoded audio to {@code output} and returns its duration in milliseconds.
     *
     * @throws MediaException.NonRetriable when the file is damaged, not audio, silent-empty or too long
     */
    long decode(Path input, Path output);

    /**
     * Text tags embedded in the recording (ID3 of MP3, Vorbis comments of OGG and FLAC, atoms of M4A): tag name in
     * lower case to value, in the file's order; empty when there are none or they cannot be read. Never fails.
     */
    default Map<String, String> tags(Path input) {
        return Map.of();
    }
}
