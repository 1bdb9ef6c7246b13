package dev.omnirag.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** Where Omnirag keeps its data. */
@ConfigMapping(prefix = "omnirag")
public interface OmniragConfig {

    /**
     * Data directory: indexes, original files, the embedded database. Also settable as {@code OMNIRAG_HOME}.
     * Relative paths resolve against the working directory.
     */
    @WithDefault("data")
    Path home();

    /**
     * Name of this server instance in job leases. Default: host name and HTTP port, stable across restarts, so a
     * restarted instance takes its own unfinished jobs back at once instead of waiting for their leases.
     */
    java.util.Optional<String> instanceId();
}
