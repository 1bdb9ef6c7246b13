package dev.omnirag.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every way the project starts the server exits on an OutOfMemoryError (a JVM whose threads died half-way must be
 * restarted, not left serving) and never runs it as root. Reads the recipes under deploy/ and the test launcher.
 */
class LaunchRecipesTest {

    private static final Path DEPLOY = Path.of("../deploy").toAbsolutePath().normalize();

    @Test
    void everyRecipeThatStartsTheServerExitsOnOutOfMemory() throws IOException {
        List<String> missing = new ArrayList<>();
        List<Path> launchers = new ArrayList<>();
        try (Stream<Path> files = Files.walk(DEPLOY)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(f);
                if (!text.contains("quarkus-run.jar") && !text.contains("$JAR")) {
                    continue;
                }
                launchers.add(f);
                if (!text.contains("-XX:+ExitOnOutOfMemoryError")) {
                    missing.add(DEPLOY.relativize(f).toString());
                }
            }
        }
        assertThat(launchers).as("recipes that start the server").hasSizeGreaterThanOrEqualTo(3);
        assertThat(Files.readString(Path.of("test/java/dev/omnirag/server/PackagedServer.java")))
                .contains("-XX:+ExitOnOutOfMemoryError");
        assertThat(missing)
                .as("recipes that start the server without -XX:+ExitOnOutOfMemoryError")
                .isEmpty();
    }

    @Test
    void noRecipeRunsTheServerAsRoot() throws IOException {
        String docker = Files.readString(DEPLOY.resolve("Dockerfile"));
        assertThat(docker).containsPattern("(?m)^USER (?!root|0\\b)\\S+");
        assertThat(Files.readString(DEPLOY.resolve("helm/omnirag/templates/deployment.yaml")))
                .contains("runAsNonRoot: true");
        assertThat(Files.readString(DEPLOY.resolve("compose/compose.yaml"))).contains("user: \"1001:1001\"");
        assertThat(Files.readString(DEPLOY.resolve("generator/compose.yaml"))).contains("user: \"1001:1001\"");
        assertThat(Files.readString(DEPLOY.resolve("omnirag"))).contains("running as root");
    }
}
