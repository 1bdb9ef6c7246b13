package dev.omnirag.index.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real PostgreSQL 18 + pgvector compiled to WebAssembly ({@code @electric-sql/pglite-socket}), served on a free
 * loopback port, for tests and benchmarks on machines where native pgvector cannot be installed. It runs
 * queries one at a time, so it says nothing about native pgvector speed. The npm packages come from
 * {@code index/src/test/js} ({@code npm ci} there; {@code deploy/omnirag test} does it).
 */
public final class PgliteServer implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private PgliteServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts a server with an in-memory database (or one persisted under {@code dataDir} when not null).
     *
     * @param packageDir the folder whose {@code node_modules} holds the pglite packages
     */
    public static PgliteServer start(Path packageDir, Path dataDir, int maxConnections) {
        Path bin = packageDir.resolve("node_modules/.bin/pglite-server");
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException(
                    "pglite-server is not installed: run `npm ci` in " + packageDir + " (deploy/omnirag test does)");
        }
        try {
            int port = freePort();
            Path log = Files.createTempFile("pglite-", ".log");
            List<String> cmd = new ArrayList<>(List.of(
                    bin.toString(),
                    "--host=127.0.0.1",
                    "--port=" + port,
                    "--extensions=@electric-sql/pglite-pgvector:vector",
                    "--max-connections=" + maxConnections));
            if (dataDir != null) {
                cmd.add("--db=" + dataDir.toAbsolutePath());
            }
            Process process = new ProcessBuilder(cmd)
                    .directory(packageDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            PgliteServer server = new PgliteServer(process, port, log);
            server.awaitListening(Duration.ofSeconds(60));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start pglite-server: " + e.getMessage(), e);
        }
    }

    /** Finds {@code index/src/test/js} above the working directory (module or repository root). */
    public static Path defaultPackageDir() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            for (Path candidate : List.of(d.resolve("index/src/test/js"), d.resolve("src/test/js"))) {
                if (Files.exists(candidate.resolve("package.json"))
                        && readQuietly(candidate.resolve("package.json")).contains("pglite-socket")) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException(
                "cannot find index/src/test/js above " + Path.of("").toAbsolutePath());
    }

    public int port() {
        return port;
    }

    /**
     * {@code jdbc:postgresql://127.0.0.1:<port>/postgres} (user and password: postgres). pglite runs every
     * connection in one backend session and queues protocol messages one by one, so the extended protocol's
     * Parse/Bind/Execute of two connections can interleave outside a transaction; the simple query protocol
     * ({@code preferQueryMode=simple}) sends each statement as one message, which keeps them whole.
     */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?sslmode=disable&preferQueryMode=simple";
    }

    /** {@code postgresql://127.0.0.1:<port>/postgres}, the form {@code omnirag.datasource.url} takes. */
    public String url() {
        return "postgresql://127.0.0.1:" + port + "/postgres";
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void awaitListening(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("pglite-server exited: " + Files.readString(log));
            }
            if (Files.readString(log).contains("listening")) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                    return;
                } catch (IOException notYet) {
                    // keep waiting
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for pglite-server", e);
            }
        }
        close();
        throw new IOException("pglite-server did not listen within " + timeout + ": " + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
