package dev.omnirag.media;

import java.nio.file.Path;

/**
 * Speech to text with timestamps.
 *
 * <p>Contract:
 * <ul>
 *   <li>Input is a 16 kHz mono 16-bit PCM WAV file (what {@link AudioDecoder} writes).</li>
 *   <li>The transcript's segments are in time order and do not overlap; each has its start and end in
 *       milliseconds from the start of the recording and, when the engine gives them, its words with their own
 *       times. A recording without recognisable speech gives an empty transcript (not an error).</li>
 *   <li>Blocking and CPU-heavy (often slower than real time on small machines); thread safe.</li>
 * </ul>
 */
public interface Transcriber extends AutoCloseable {

    /** A short name of the engine, shown in logs and job messages (e.g. {@code pocketsphinx}). */
    String name();

    /**
     * Transcribes a 16 kHz mono WAV file.
     *
     * @throws MediaException.NonRetriable when the engine is missing, fails or exceeds its time limit
     */
    Transcript transcribe(Path wav16kMono);

    @Override
    default void close() {}
}
