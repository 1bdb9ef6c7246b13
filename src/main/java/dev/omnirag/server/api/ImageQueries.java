package dev.omnirag.server.api;

import dev.omnirag.media.ImageDecoder;
import jakarta.enterprise.context.ApplicationScoped;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an image sent with a request (a data URL, plain base64, or an uploaded file) into pixels, with the same
 * decoding limits as ingestion ({@code omnirag.image.*}); a bad image is a 400 with the decoder's reason.
 */
@ApplicationScoped
public class ImageQueries {

    private static final Pattern DATA_URL =
            Pattern.compile("^data:(image/[\\w.+-]+)?(;[\\w=.-]+)*?(;base64)?,", Pattern.CASE_INSENSITIVE);

    private final ImageDecoder decoder;

    ImageQueries(ImageDecoder decoder) {
        this.decoder = decoder;
    }

    /** True when the string is an image data URL ({@code data:image/...}). */
    public static boolean isImageDataUrl(String s) {
        return s != null && s.regionMatches(true, 0, "data:image/", 0, 11);
    }

    /** Decodes a data URL or plain base64 image. */
    public BufferedImage fromDataUrl(String field, String value) {
        String b64 = value.strip();
        Matcher m = DATA_URL.matcher(b64);
        if (m.find()) {
            if (m.group(3) == null) {
                throw ApiException.badRequest(field + " must be base64-encoded (data:image/png;base64,...)");
            }
            b64 = b64.substring(m.end());
        } else if (b64.startsWith("data:") || b64.startsWith("http:") || b64.startsWith("https:")) {
            throw ApiException.badRequest(
                    field + " must be a data URL of an image (data:image/png;base64,...) or plain "
                            + "base64; remote URLs are not fetched");
        }
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(field + " is not valid base64: " + e.getMessage());
        }
        if (bytes.length == 0) {
            throw ApiException.badRequest(field + " holds no image data");
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile("omnirag-query", ".img");
            Files.write(tmp, bytes);
            return fromFile(field, tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** Decodes an uploaded image file (the first frame). */
    public BufferedImage fromFile(String field, Path file) {
        try {
            return decoder.read(file, 0);
        } catch (dev.omnirag.media.MediaException e) {
            if (e.kind() != dev.omnirag.error.OmniragException.Kind.INVALID_INPUT) {
                throw e; // a busy resource or the server's set-up: not the client's image
            }
            throw ApiException.badRequest(field + ": " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // temp file
            }
        }
    }
}
