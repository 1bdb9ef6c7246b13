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

    /** Most files one archive (or directory) may hold; the import fails at the next one. */
    @WithDefault("100000")
    int maxEntries();

    /**
     * Server directories a global admin may import from ({@code {"path": ...}} instead of an archive), comma
     * separated; a requested directory must lie under one of them once links are resolved. Unset: directory imports
     * are off.
     */
    java.util.Optional<java.util.List<java.nio.file.Path>> roots();

    /**
     * Skip the messages of an imported mailbox that its mail client threw away: Gmail's Spam and Trash (a Takeout's
     * "All mail Including Spam and Trash"), Thunderbird's deleted messages not yet compacted away; each is listed
     * among the import's skipped files with the reason. False imports them too.
     */
    @WithDefault("true")
    boolean skipDeletedMail();
}
