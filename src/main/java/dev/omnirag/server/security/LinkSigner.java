package dev.omnirag.server.security;

import dev.omnirag.server.config.LinksConfig;
import dev.omnirag.server.config.OmniragConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Signs and checks the links that open one document without an API key: HMAC-SHA256 over the document id, the
 * page (0: none) and the expiry, with a key from {@code omnirag.links.key} or generated once under
 * {@code <home>/link-signing.key} (owner-only). A link opens its document's original file, and the page it names
 * as an image, until it expires; rotating the key revokes every link. Thread safe.
 */
@ApplicationScoped
public class LinkSigner {

    private static final Logger LOG = Logger.getLogger(LinkSigner.class);
    static final String KEY_FILE = "link-signing.key";

    /** The query parameters of a signed link. */
    public record Signature(long expires, int page, String sig) {
        /** {@code page=..&exp=..&sig=..}, ready to append after {@code ?}. */
        public String query() {
            return "page=" + page + "&exp=" + expires + "&sig=" + sig;
        }
    }

    /** What checking a link found. */
    public enum Check {
        VALID,
        EXPIRED,
        INVALID
    }

    private final byte[] key;
    private final java.time.Duration ttl;
    private final Clock clock;

    @Inject
    LinkSigner(LinksConfig config, OmniragConfig omnirag) {
        this(key(config.key(), omnirag.home()), config.ttl(), Clock.systemUTC());
    }

    LinkSigner(byte[] key, java.time.Duration ttl, Clock clock) {
        this.key = key.clone();
        this.ttl = ttl;
        this.clock = clock;
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("omnirag.links.ttl must be positive; ttl=" + ttl);
        }
    }

    /**
     * A signature for the document (and page, 0 for none), valid for at least the configured time from now. The
     * expiry is rounded up to a step of a 24th of the lifetime (at most an hour), so the links of one answer, and
     * of answers written close together, are the same text (a streamed answer and its non-streamed twin, caches).
     */
    public Signature sign(UUID document, int page) {
        long step = Math.max(1, Math.min(3600, ttl.toSeconds() / 24));
        long expires = Math.ceilDiv(clock.instant().plus(ttl).getEpochSecond(), step) * step;
        return new Signature(expires, page, mac(document, page, expires));
    }

    /** Whether {@code sig} signs this document, page and expiry, and the expiry has not passed. */
    public Check check(UUID document, int page, long expires, String sig) {
        if (sig == null
                || !MessageDigest.isEqual(
                        mac(document, page, expires).getBytes(StandardCharsets.US_ASCII),
                        sig.getBytes(StandardCharsets.US_ASCII))) {
            return Check.INVALID;
        }
        return Instant.ofEpochSecond(expires).isBefore(clock.instant()) ? Check.EXPIRED : Check.VALID;
    }

    private String mac(UUID document, int page, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] out = mac.doFinal(
                    ("omnirag-link\n" + document + "\n" + page + "\n" + expires).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The configured key, or the one under {@code home}, created on first use. */
    static byte[] key(Optional<String> configured, Path home) {
        if (configured.isPresent()) {
            String k = configured.get();
            if (k.length() < 32) {
                throw new IllegalArgumentException(
                        "omnirag.links.key must be at least 32 characters; length=" + k.length());
            }
            return k.getBytes(StandardCharsets.UTF_8);
        }
        Path file = home.resolve(KEY_FILE);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(home);
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Path tmp = Files.createTempFile(
                        home,
                        KEY_FILE,
                        ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(tmp, HexFormat.of().formatHex(fresh) + "\n");
                try {
                    Files.move(tmp, file);
                    LOG.infof("Generated the key that signs document links in %s", file);
                } catch (FileAlreadyExistsException e) {
                    Files.deleteIfExists(tmp); // another process wrote it first: use theirs
                }
            }
            String hex = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return HexFormat.of().parseHex(hex);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read or create the link signing key " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "the link signing key " + file + " is not hexadecimal; delete it to "
                            + "generate a new one (every link handed out before stops working)",
                    e);
        }
    }
}
