package dev.omnirag.server.eval;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged server ({@code quarkus-run.jar}) as a process of the benchmark tools: its own home (embedded
 * PostgreSQL, Lucene), loopback on a free port, authentication off, its output in {@code <home>/server.log}. Started
 * by {@link #start}, which returns once {@code /q/health/ready} answers 200; {@link #close} stops it (SIGTERM, then
 * SIGKILL after a minute).
 */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final URI base;
    private final Path log;

    private ServerProcess(Process process, URI base, Path log) {
        this.process = process;
        this.base = base;
        this.log = log;
    }

    /**
     * Starts {@code jar} with {@code home} and the extra environment {@code env} and waits until it is ready.
     *
     * @param ready how long start-up may take
     */
    static ServerProcess start(Path jar, Path home, Map<String, String> env, Duration ready)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException("no packaged server at " + jar.toAbsolutePath() + "; build it first "
                    + "(mvn -B -q -pl src -am package -DskipTests)");
        }
        Files.createDirectories(home);
        Path log = home.resolve("server.log");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                        java,
                        "--add-modules",
                        "jdk.incubator.vector",
                        "--enable-native-access=ALL-UNNAMED",
                        "-jar",
                        jar.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("OMNIRAG_HOME", home.toString());
        pb.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("OMNIRAG_AUTH_ENABLED", "false");
        pb.environment().putAll(env);
        ServerProcess server = new ServerProcess(pb.start(), URI.create("http://127.0.0.1:" + port), log);
        try {
            server.awaitReady(ready);
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    URI base() {
        return base;
    }

    Path log() {
        return log;
    }

    Process process() {
        return process;
    }

    /** The server process's resident memory in MiB (from /proc), or -1 where that cannot be read. */
    long residentMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or the process is gone.
        }
        return -1;
    }

    /** Throws when the server has exited (naming its log). */
    void requireAlive() throws IOException {
        if (!process.isAlive()) {
            throw new IOException("the server exited; see " + log);
        }
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                // The log's end in the message: a benchmark deletes the server's home (and its log) when it fails.
                throw new IOException("the server exited during start-up (exit code " + process.exitValue()
                        + "); the end of its log " + log + ":\n" + tail(log, 40));
            }
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(base.resolve("/q/health/ready"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(300);
        }
        throw new IOException("the server did not become ready in " + timeout.toSeconds() + " s; see " + log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The last {@code lines} lines of a file, or why they cannot be read. */
    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
