package dev.omnirag.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The JUnit extension of the integration tests that run the packaged server as a process ({@link PackagedServer}):
 * it gives each test (or, registered on a static field, each class) a fresh home under {@code target/}, stops every
 * server the test started (SIGTERM; SIGKILL is the test's own business) whatever the outcome, and when a test fails
 * prints the end of each server's log, which is where the reason usually is.
 *
 * <pre>{@code
 * @RegisterExtension
 * final PackagedServers servers = new PackagedServers("restart-it-home");
 * ...
 * PackagedServer server = servers.start(Map.of("OMNIRAG_INGEST_WORKERS", "0"));
 * }</pre>
 */
final class PackagedServers
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, TestWatcher {

    private static final int LOG_TAIL_LINES = 60;

    private final Path home;
    private final List<PackagedServer> classServers = new ArrayList<>();
    private final List<PackagedServer> testServers = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private boolean classScoped;
    private boolean inTest;

    /** Servers whose home is {@code target/<homeName>}, emptied before each test (or class). */
    PackagedServers(String homeName) {
        this.home = Path.of("target", homeName).toAbsolutePath();
    }

    /** The servers' home ({@code OMNIRAG_HOME}): their data, logs and whatever files the test writes beside them. */
    Path home() {
        return home;
    }

    /** Starts a server with the default configuration, its log {@code server.log} in the home. */
    PackagedServer start() throws IOException, InterruptedException {
        return start(Map.of());
    }

    /** Starts a server with extra environment (configuration), its log {@code server.log} in the home. */
    PackagedServer start(Map<String, String> env) throws IOException, InterruptedException {
        return start(home.resolve("server.log"), env, List.of());
    }

    /** Starts a server with extra environment and JVM options (such as {@code -Xmx512m}), its log {@code server.log}. */
    PackagedServer start(Map<String, String> env, List<String> jvmArgs) throws IOException, InterruptedException {
        return start(home.resolve("server.log"), env, jvmArgs);
    }

    /** Starts a server with extra environment and JVM options, its log in {@code log}; waits until it is ready. */
    PackagedServer start(Path log, Map<String, String> env, List<String> jvmArgs)
            throws IOException, InterruptedException {
        PackagedServer server = new PackagedServer(home, log, env, jvmArgs);
        (inTest ? testServers : classServers).add(server);
        if (!logs.contains(log)) {
            logs.add(log);
        }
        server.start();
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        classScoped = true;
        fresh();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        inTest = true;
        if (!classScoped) {
            fresh();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        inTest = false;
        stopAll(testServers);
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        stopAll(classServers);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        for (Path log : logs) {
            try {
                List<String> lines = Files.readAllLines(log);
                System.out.println("---- last " + Math.min(LOG_TAIL_LINES, lines.size()) + " lines of " + log + " ("
                        + context.getDisplayName() + " failed)");
                lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size())
                        .forEach(System.out::println);
            } catch (IOException e) {
                System.out.println("---- " + log + " cannot be read: " + e.getMessage());
            }
        }
    }

    private void fresh() throws IOException {
        PostgresTestResource.delete(home);
        Files.createDirectories(home);
        logs.clear();
    }

    private static void stopAll(List<PackagedServer> servers) throws InterruptedException {
        for (PackagedServer server : servers) {
            server.close();
        }
        servers.clear();
    }
}
