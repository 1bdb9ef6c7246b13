package dev.omnirag.server;

import dev.omnirag.server.db.ManagedPostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Gives the tests the same embedded PostgreSQL the server runs by default (a fresh cluster per test run) and
 * a fresh data directory under {@code target/test-home}.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    public static final Path HOME = Path.of("target/test-home").toAbsolutePath();
    /** The one directory tests may import from ({@code omnirag.import.roots}). */
    public static final Path IMPORT_ROOT = Path.of("target/test-import-root").toAbsolutePath();

    private ManagedPostgres postgres;

    @Override
    public Map<String, String> start() {
        try {
            // Keep the extracted binaries (bin-*), start everything else from scratch.
            if (Files.exists(HOME)) {
                try (Stream<Path> top = Files.list(HOME)) {
                    for (Path p : top.toList()) {
                        if (!p.getFileName().toString().equals("postgres")) {
                            delete(p);
                        }
                    }
                }
                delete(HOME.resolve("postgres/data"));
                Files.deleteIfExists(HOME.resolve("postgres/password"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        postgres = ManagedPostgres.start(HOME.resolve("postgres"), Duration.ofSeconds(120));
        Map<String, String> props = new HashMap<>(postgres.datasourceProperties());
        props.put("omnirag.home", HOME.toString());
        // Directory imports (ImportsTest) may read from here.
        props.put("omnirag.import.roots", IMPORT_ROOT.toString());
        try {
            Files.createDirectories(IMPORT_ROOT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props;
    }

    @Override
    public void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
