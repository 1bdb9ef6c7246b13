package dev.omnirag.server.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits on HTTP requests other than uploads (those are {@link IngestConfig#maxUploadSize()}). */
@ConfigMapping(prefix = "omnirag.http")
public interface HttpConfig {

    /**
     * Largest body of a request that is not a multipart upload (JSON, form fields); bigger ones get 413 from
     * their {@code Content-Length} before they are read. Such bodies are read into memory, so one without a
     * {@code Content-Length} (chunked) gets 411.
     */
    @WithDefault("16M")
    MemorySize maxJsonBody();
}
