package dev.omnirag.server.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API key format: {@code omr_} followed by 32 random bytes in base64url without padding. Keys are stored only as
 * the SHA-256 of the whole key (hex): they are high-entropy, so a slow password hash would add nothing.
 */
public final class ApiKeys {

    public static final String PREFIX = "omr_";
    /** Characters of a key shown in listings so a person can tell keys apart (the prefix plus 8). */
    public static final int DISPLAY_LENGTH = PREFIX.length() + 8;

    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {}

    /** A new random key. */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The SHA-256 of the key, in lowercase hex: what the database keeps. */
    public static String hash(String key) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The start of the key shown in listings. */
    public static String displayPrefix(String key) {
        return key.substring(0, Math.min(DISPLAY_LENGTH, key.length()));
    }
}
