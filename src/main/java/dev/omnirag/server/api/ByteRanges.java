package dev.omnirag.server.api;

import java.util.Locale;

/** Parses an HTTP {@code Range} header for one byte range (RFC 9110 section 14). */
final class ByteRanges {

    /** An inclusive byte range of a representation. */
    record Range(long start, long end) {
        long length() {
            return end - start + 1;
        }
    }

    /** A bytes range that is malformed or lies outside the representation: answer 416. */
    static final Range UNSATISFIABLE = new Range(-1, -2);

    private ByteRanges() {}

    /**
     * The range asked for in {@code header} of a representation of {@code size} bytes; {@code null} when the whole
     * representation should be sent (no header, another unit, or several ranges), {@link #UNSATISFIABLE} when a
     * bytes range is malformed or starts beyond the end.
     */
    static Range parse(String header, long size) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.strip();
        int eq = h.indexOf('=');
        if (eq < 0) {
            return UNSATISFIABLE;
        }
        if (!h.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("bytes")) {
            return null; // a unit this server does not know: ignore the header
        }
        String spec = h.substring(eq + 1).strip();
        if (spec.contains(",")) {
            return null; // several ranges: the whole file is a valid answer
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return UNSATISFIABLE;
        }
        String first = spec.substring(0, dash).strip();
        String last = spec.substring(dash + 1).strip();
        try {
            if (first.isEmpty()) {
                // suffix range: the last n bytes
                long n = Long.parseLong(last);
                if (n <= 0 || size == 0) {
                    return UNSATISFIABLE;
                }
                return new Range(Math.max(0, size - n), size - 1);
            }
            long start = Long.parseLong(first);
            long end = last.isEmpty() ? size - 1 : Long.parseLong(last);
            if (start < 0 || end < start || start >= size) {
                return UNSATISFIABLE;
            }
            return new Range(start, Math.min(end, size - 1));
        } catch (NumberFormatException e) {
            return UNSATISFIABLE;
        }
    }
}
