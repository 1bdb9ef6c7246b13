package dev.omnirag.server.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a whole file is well-formed UTF-8 (ASCII included). Text in another charset is almost never well-formed
 * UTF-8 beyond pure ASCII, where the two read the same; so a text file that is needs no charset guessed from a
 * prefix of its bytes, which is slower and can take a short UTF-8 text for windows-1252.
 */
final class StrictUtf8 {

    private static final int BUFFER = 64 * 1024;

    private StrictUtf8() {}

    /** Reads the file once; false at the first malformed sequence (an incomplete one at the end included). */
    static boolean matches(Path file) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.allocate((int) Math.min(BUFFER, Math.max(16, Files.size(file))));
        CharBuffer out = CharBuffer.allocate(in.capacity());
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            while (true) {
                boolean end = channel.read(in) < 0;
                in.flip();
                CoderResult result;
                do {
                    out.clear();
                    result = decoder.decode(in, out, end);
                    if (result.isError()) {
                        return false;
                    }
                } while (result.isOverflow());
                if (end) {
                    out.clear();
                    return !decoder.flush(out).isError();
                }
                in.compact();
            }
        }
    }
}
