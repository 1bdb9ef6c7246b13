package dev.omnirag.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** Every {@code omnirag.*} key the running service knows (with its default) is listed in docs/configuration.md. */
@QuarkusTest
class ConfigurationDocsTest {

    @Test
    void everyOmniragKeyIsDocumented() throws Exception {
        String docs = Files.readString(Path.of("../docs/configuration.md"));
        TreeSet<String> keys = new TreeSet<>();
        for (String name : ConfigProvider.getConfig().getPropertyNames()) {
            if (name.startsWith("omnirag.")) {
                keys.add(name);
            }
        }
        assertThat(keys).as("omnirag.* keys known to the running service").hasSizeGreaterThan(20);
        List<String> missing = new ArrayList<>();
        for (String key : keys) {
            if (!docs.contains("`" + key + "`")) {
                missing.add(key);
            }
        }
        assertThat(missing)
                .as("keys missing from docs/configuration.md (as `key`)")
                .isEmpty();
    }
}
