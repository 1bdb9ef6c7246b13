package dev.omnirag.server;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The packaged server ({@code target/quarkus-app/quarkus-run.jar}, built by {@code mvn package}) run as a real
 * process with its default embedded database, on a free port, with its data in {@code home}. For the
 * integration tests that need a server the way users run it; they get one from the {@link PackagedServers} extension,
 * which also stops it and shows its log when a test fails.
 */
final class PackagedServer implements AutoCloseable {

    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();

    private final Path home;
    private final Path log;
    private final java.util.Map<String, String> env;
    private final java.util.List<String> jvmArgs;
    private Process process;
    private int port;

    /** A server with extra environment, its log in {@code log}, and extra JVM options (such as {@code -Xmx512m}). */
    PackagedServer(Path home, Path log, java.util.Map<String, String> env, java.util.List<String> jvmArgs) {
        this.home = home;
        this.log = log;
        this.env = java.util.Map.copyOf(env);
        this.jvmArgs = java.util.List.copyOf(jvmArgs);
    }

    /** Starts the server and waits until it is ready (at most two minutes). */
    void start() throws IOException, InterruptedException {
        assertThat(JAR).as("package the server first (mvn verify does)").exists();
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(
                java,
                "--add-modules",
                "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED",
                "-XX:+ExitOnOutOfMemoryError"));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        pb.environment().put("OMNIRAG_HOME", home.toString());
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        // It listens on loopback: no API keys unless the caller turns authentication on (OMNIRAG_AUTH_ENABLED=true).
        pb.environment().put("OMNIRAG_AUTH_ENABLED", "false");
        pb.environment().putAll(env);
        process = pb.start();
        Awaitility.await("server ready; see " + log())
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(300))
                .ignoreExceptionsMatching(e -> !(e instanceof AssertionError)) // not listening yet
                .until(() -> {
                    assertThat(process.isAlive())
                            .as("server exited; see %s", log())
                            .isTrue();
                    return api().get("/q/health/ready").statusCode() == 200;
                });
    }

    /** Stops the server with SIGTERM and waits for it; returns whether it exited within a minute. */
    boolean stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return true;
        }
        process.destroy();
        return process.waitFor(60, TimeUnit.SECONDS);
    }

    /**
     * Kills the server (SIGKILL), as a crash would, and waits for it to be gone; returns its exit status (137,
     * 128 + SIGKILL, when the signal killed it).
     */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    int port() {
        return port;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    RequestSpecification api() {
        return given().baseUri("http://127.0.0.1").port(port);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    Path log() {
        return log;
    }
}
