package dev.omnirag.server.security;

import dev.omnirag.server.config.AuthConfig;
import dev.omnirag.server.config.OmniragConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * At start: refuses to serve other machines without authentication, and on first start (no key exists) creates a
 * global admin key, writes it to {@code <omnirag.home>/admin.key} readable by the owner only, and logs the path
 * (never the key). Replicas sharing a database serialize on a PostgreSQL advisory lock, so only one creates it.
 */
@ApplicationScoped
public class AuthStartup {

    private static final Logger LOG = Logger.getLogger(AuthStartup.class);
    /** Advisory lock id taken while deciding whether to create the first admin key ("omr" + 1). */
    static final long BOOTSTRAP_LOCK = 0x6f6d7201L;
    /** The file the first admin key is written to, under the data directory. */
    public static final String ADMIN_KEY_FILE = "admin.key";

    private final AuthConfig auth;
    private final OmniragConfig omnirag;
    private final DataSource dataSource;
    private final String host;

    AuthStartup(
            AuthConfig auth,
            OmniragConfig omnirag,
            DataSource dataSource,
            @ConfigProperty(name = "quarkus.http.host", defaultValue = "0.0.0.0") String host) {
        this.auth = auth;
        this.omnirag = omnirag;
        this.dataSource = dataSource;
        this.host = host;
    }

    void start(@Observes @Priority(1) StartupEvent event) {
        checkBinding(auth.enabled(), host);
        if (!auth.enabled()) {
            LOG.warnf(
                    "Authentication is disabled (omnirag.auth.enabled=false): every request acts as the global admin; "
                            + "listening on loopback (%s) only",
                    host);
            return;
        }
        Path file = omnirag.home().toAbsolutePath().resolve(ADMIN_KEY_FILE);
        if (createFirstAdminKey(dataSource, file)) {
            LOG.infof(
                    "No API key existed: created a global admin key and wrote it to %s (readable by its owner only). "
                            + "Use it as 'Authorization: Bearer <key>' to create other keys (POST /v1/keys).",
                    file);
        }
    }

    /**
     * Throws when authentication is off and {@code host} is not a loopback address: nobody else may reach an
     * unauthenticated service.
     */
    public static void checkBinding(boolean authEnabled, String host) {
        if (authEnabled) {
            return;
        }
        if (!isLoopback(host)) {
            throw new IllegalStateException("omnirag.auth.enabled=false but quarkus.http.host=" + host
                    + " is not a loopback address: without authentication the service only listens on 127.0.0.1, ::1 "
                    + "or localhost. Set quarkus.http.host=127.0.0.1 (QUARKUS_HTTP_HOST) or enable authentication "
                    + "(omnirag.auth.enabled=true, OMNIRAG_AUTH_ENABLED).");
        }
    }

    static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String h = host.strip();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            InetAddress[] all = InetAddress.getAllByName(h);
            for (InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Creates the first admin key when the keys table is empty, under an advisory lock; returns whether it did.
     * The file is written before the row is committed: if the commit fails, the next start writes a new one.
     */
    static boolean createFirstAdminKey(DataSource dataSource, Path file) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_xact_lock(" + BOOTSTRAP_LOCK + ")");
                }
                long keys;
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT count(*) FROM api_keys")) {
                    rs.next();
                    keys = rs.getLong(1);
                }
                if (keys > 0) {
                    c.rollback();
                    return false;
                }
                String key = ApiKeys.generate();
                writeOwnerOnly(file, key + "\n");
                try (PreparedStatement p =
                        c.prepareStatement("INSERT INTO api_keys (id, name, key_hash, prefix, admin, "
                                + "created_at) VALUES (?, ?, ?, ?, TRUE, ?)")) {
                    p.setObject(1, UUID.randomUUID());
                    p.setString(2, "admin (first start)");
                    p.setString(3, ApiKeys.hash(key));
                    p.setString(4, ApiKeys.displayPrefix(key));
                    p.setObject(5, OffsetDateTime.now());
                    p.executeUpdate();
                }
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the first admin key: " + e.getMessage(), e);
        }
    }

    /** Writes {@code text} to {@code file} with mode 0600 (owner read/write), replacing it atomically. */
    static void writeOwnerOnly(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(
                        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                LOG.warnf("This file system has no POSIX permissions: restrict access to %s yourself", file);
                Files.createFile(tmp);
            }
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the admin key to " + file + ": " + e.getMessage(), e);
        }
    }
}
