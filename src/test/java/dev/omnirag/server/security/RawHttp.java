package dev.omnirag.server.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One HTTP/1.1 connection on a raw socket, for requests an HTTP client would refuse or normalise (paths with
 * {@code ;}, bodies sent slowly or never finished). Reads answers as text.
 */
final class RawHttp implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    /** Body bytes written so far by {@link #stream}. */
    final AtomicLong sent = new AtomicLong();

    RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    /** Sends a request head: the request line and headers (CRLF added), then the blank line. */
    RawHttp head(String requestLine, String... headers) throws IOException {
        StringBuilder sb = new StringBuilder(requestLine).append("\r\nHost: localhost\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        sb.append("\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    RawHttp write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        sent.addAndGet(bytes.length);
        return this;
    }

    RawHttp write(String text) throws IOException {
        return write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes one chunk of a chunked body. */
    RawHttp chunk(byte[] bytes) throws IOException {
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        sent.addAndGet(bytes.length);
        return this;
    }

    /**
     * Streams {@code total} body bytes of {@code fill} in the background (chunked when {@code chunked}), stopping
     * quietly when the server closes the connection; the answer can be read meanwhile.
     */
    Thread stream(long total, byte fill, boolean chunked) {
        Thread t = new Thread(
                () -> {
                    byte[] block = new byte[64 * 1024];
                    java.util.Arrays.fill(block, fill);
                    try {
                        long left = total;
                        while (left > 0) {
                            int n = (int) Math.min(block.length, left);
                            byte[] part = n == block.length ? block : java.util.Arrays.copyOf(block, n);
                            if (chunked) {
                                chunk(part);
                            } else {
                                write(part);
                            }
                            left -= n;
                        }
                        if (chunked) {
                            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                            out.flush();
                        }
                    } catch (IOException e) {
                        // the server refused the rest and closed the connection: what the tests expect
                    }
                },
                "raw-http-writer");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The status code of the answer (reads the status line). */
    int status() throws IOException {
        String line = line();
        if (line == null || !line.startsWith("HTTP/1.1 ")) {
            throw new IOException("no HTTP status line; got: " + line);
        }
        return Integer.parseInt(line.substring(9, 12));
    }

    /** The rest of the answer after the status line (headers and body), up to the connection's end or 5 s of quiet. */
    String rest() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int old = socket.getSoTimeout();
        socket.setSoTimeout(5_000);
        try {
            byte[] b = new byte[8192];
            int n;
            while ((n = in.read(b)) > 0) {
                buf.write(b, 0, n);
                if (buf.toString(StandardCharsets.UTF_8).matches("(?s).*\r\n\r\n.*\\}\\s*$")) {
                    break;
                }
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // what came is what there is
        } finally {
            socket.setSoTimeout(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** Whether the server closed the connection (a read returns end of stream or fails) within 10 s. */
    boolean closedByServer() throws IOException {
        socket.setSoTimeout(10_000);
        try {
            byte[] b = new byte[8192];
            while (true) {
                if (in.read(b) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                return sb.toString().stripTrailing();
            }
            sb.append((char) c);
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
