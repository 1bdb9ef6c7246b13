package dev.omnirag.media;

import java.nio.file.Path;
import java.util.Map;

/**
 * Decodes a recording (WAV, FLAC, MP3, OGG, M4A, ...) to 16 kHz mono 16-bit PCM WAV, the input speech
 * recognisers take. Implementations check the file's integrity first (a truncated WAV fails rather than being
 * transcribed in part) and bound the duration. The file is read as the media type it was detected as, and as
 * nothing else: a recording is never treated as a playlist or a list of other files to open. Blocking; thread safe.
 */
public interface AudioDecoder {

    /**
     * Writes the decoded audio to {@code output} and returns its duration in milliseconds.
     *
     * @param mediaType the type detected from the file's bytes, such as {@code audio/mpeg}; the file is decoded as
     *     that container only
     * @throws MediaException.NonRetriable when the file is damaged, not audio of that type, silent-empty or too
     *     long, or the type is not one this decoder reads
     */
    long decode(Path input, String mediaType, Path output);

    /**
     * Text tags embedded in the recording (ID3 of MP3, Vorbis comments of OGG and FLAC, atoms of M4A), read as
     * {@code mediaType} only: tag name in lower case to value, in the file's order; empty when there are none or
     * they cannot be read. Never fails.
     */
    default Map<String, String> tags(Path input, String mediaType) {
        return Map.of();
    }

    /**
     * The text subtitle track of a video (an MP4's {@code mov_text}, a Matroska file's SubRip or WebVTT; of those not
     * forced, the default one, else the first), read as {@code mediaType} only, written as WebVTT; empty when it has
     * none, its subtitles are pictures (a DVD's), or they cannot be read. Never fails.
     */
    default java.util.Optional<String> subtitles(Path input, String mediaType) {
        return java.util.Optional.empty();
    }
}
