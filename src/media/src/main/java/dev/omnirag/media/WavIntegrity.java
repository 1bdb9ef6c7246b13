package dev.omnirag.media;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A structural check of RIFF/WAVE files: the RIFF size and the {@code data} chunk's size must fit in the file.
 * Decoders play a truncated WAV to wherever its bytes stop, silently losing the rest; this check makes such a
 * file fail with a reason instead. Streams written with unknown length (sizes 0 or 0xFFFFFFFF) are accepted.
 */
public final class WavIntegrity {

    private WavIntegrity() {}

    /** True when the file starts like a RIFF/WAVE file. */
    public static boolean isWav(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            if (f.length() < 12) {
                return false;
            }
            byte[] head = new byte[12];
            f.readFully(head);
            return new String(head, 0, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("RIFF")
                    && new String(head, 8, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("WAVE");
        }
    }

    /** Why the WAV file is damaged, or empty when its chunk sizes fit. */
    public static Optional<String> problem(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            if (length < 44) {
                return Optional.of("the WAV file is truncated: " + length + " bytes is too short for a WAV header");
            }
            long riffSize = u32(f, 4);
            if (riffSize != 0 && riffSize != 0xFFFFFFFFL && riffSize + 8 > length) {
                return Optional.of("the WAV file is truncated: its header announces " + (riffSize + 8)
                        + " bytes but the file has " + length);
            }
            long pos = 12;
            boolean fmt = false;
            while (pos + 8 <= length) {
                byte[] id = new byte[4];
                f.seek(pos);
                f.readFully(id);
                long size = u32(f, pos + 4);
                String name = new String(id, java.nio.charset.StandardCharsets.US_ASCII);
                if (name.equals("fmt ")) {
                    fmt = true;
                }
                if (name.equals("data")) {
                    if (!fmt) {
                        return Optional.of("the WAV file is damaged: its data chunk comes before its format chunk");
                    }
                    if (size != 0 && size != 0xFFFFFFFFL && pos + 8 + size > length) {
                        return Optional.of("the WAV file is truncated: its data chunk announces " + size
                                + " bytes of audio but only " + (length - pos - 8) + " are present");
                    }
                    return Optional.empty();
                }
                pos += 8 + size + (size & 1);
            }
            return Optional.of("the WAV file is damaged: it has no data chunk");
        }
    }

    private static long u32(RandomAccessFile f, long at) throws IOException {
        byte[] b = new byte[4];
        f.seek(at);
        f.readFully(b);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
    }
}
