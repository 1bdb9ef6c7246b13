package dev.omnirag.server.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Archive imports ({@code POST /v1/collections/{id}/imports}): the archive itself is an upload, within
 * {@code omnirag.ingest.max-upload-size}; each of its files within that limit too.
 */
@ConfigMapping(prefix = "omnirag.import")
public interface ImportConfig {

    /** Most bytes one archive may expand to; an archive that expands further fails its import (a zip bomb). */
    @WithDefault("10G")
    MemorySize maxExpandedSize();

    /** Most files one archive may hold; the import fails at the next one. */
    @WithDefault("100000")
    int maxEntries();
}
