package dev.omnirag.server.api;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body stream that fails once more than {@code limit} bytes came through, with a
 * {@link TooLarge} naming the limit's key (an IOException, so that parsers pass it on unwrapped). Closing it
 * after that leaves the rest of the body unread: closing the request's own stream would read all of it, however
 * long the client keeps sending; the connection is closed once the 413 is out ({@link EdgeGuard}).
 */
final class BoundedBody extends FilterInputStream {

    /** The body went over its limit; answered with 413. */
    static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }

    private final long limit;
    private final String what;
    private long count;
    private boolean exceeded;

    /**
     * @param what the body and its limit's key, for the message: "request body (omnirag.http.max-json-body)"
     */
    BoundedBody(InputStream in, long limit, String what) {
        super(in);
        this.limit = limit;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        counted(skipped);
        return skipped;
    }

    @Override
    public void close() throws IOException {
        if (!exceeded) {
            super.close();
        }
    }

    private void counted(long n) throws TooLarge {
        count += n;
        if (count > limit) {
            exceeded = true;
            throw new TooLarge("the " + what + " is larger than its limit of " + limit + " bytes");
        }
    }
}
