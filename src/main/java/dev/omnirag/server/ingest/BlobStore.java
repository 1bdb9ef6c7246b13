package dev.omnirag.server.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Original files, stored once per content under their SHA-256 ({@code blobs/ab/abcdef…}). Writes go to a
 * temporary file first and are moved into place, so a crash never leaves a partial blob under a valid name.
 */
public final class BlobStore {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private final Path root;

    public BlobStore(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the blob store at " + root, e);
        }
    }

    /** Copies the file into the store; returns its SHA-256 (lowercase hex). Idempotent for equal content. */
    public String put(Path source) throws IOException {
        Path temp = Files.createTempFile(root, "upload-", ".tmp");
        boolean moved = false;
        try {
            MessageDigest digest = sha256();
            try (InputStream in = new DigestInputStream(Files.newInputStream(source), digest);
                    OutputStream out = Files.newOutputStream(temp)) {
                in.transferTo(out);
            }
            String sha = HexFormat.of().formatHex(digest.digest());
            Path target = path(sha);
            if (!Files.exists(target)) {
                // Checked first: createDirectories on an existing folder throws and catches twice inside (per file).
                if (!Files.isDirectory(target.getParent())) {
                    Files.createDirectories(target.getParent());
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                moved = true;
            }
            return sha;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * Moves a temporary file of the caller's, whose SHA-256 is {@code sha256}, into the store (a rename when both lie on
     * one file system; a copy otherwise). The file is gone afterwards either way. Returns {@code sha256}.
     */
    public String adopt(Path temporary, String sha256) throws IOException {
        Path target = path(sha256);
        if (Files.exists(target)) {
            Files.deleteIfExists(temporary);
            return sha256;
        }
        if (!Files.isDirectory(target.getParent())) {
            Files.createDirectories(target.getParent());
        }
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return sha256;
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            // Another file system: copied through a temporary file of the store, never a partial blob.
            try {
                return put(temporary);
            } finally {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /** SHA-256 of a file, without storing it. */
    public static String hash(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The store's folder: one folder per first two hex digits, and temporary files of copies in progress. */
    public Path root() {
        return root;
    }

    /** Where the blob with this hash lives (it may not exist). */
    public Path path(String sha256) {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits; sha256=" + sha256);
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    public boolean exists(String sha256) {
        return Files.exists(path(sha256));
    }

    /** Removes the blob if present. */
    public void delete(String sha256) throws IOException {
        Files.deleteIfExists(path(sha256));
    }

    /** A fresh SHA-256 digest, the hash that names blobs. */
    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
