package dev.omnirag.media;

import java.nio.file.Files;
import java.nio.file.Path;

/** The project's read-only test data in {@code shared/} beside the repository. */
final class SharedData {

    private SharedData() {}

    static Path file(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("test data shared/" + relative + " not found above "
                + Path.of("").toAbsolutePath());
    }
}
