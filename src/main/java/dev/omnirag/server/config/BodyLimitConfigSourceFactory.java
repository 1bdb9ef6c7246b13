package dev.omnirag.server.config;

import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Derives Quarkus' hard cap on request bodies ({@code quarkus.http.limits.max-body-size}, which Quarkus counts as
 * bytes arrive when a body has no length, and which bounds multipart uploads while they stream to disk) from
 * Omnirag's own limits: the larger of {@code omnirag.ingest.max-upload-size} plus 1 MiB for the multipart envelope
 * and {@code omnirag.http.max-json-body}. One key for a user to set, and the cap never far above the real maximum.
 * Setting {@code quarkus.http.limits.max-body-size} anywhere (properties, environment) still wins: this source's
 * ordinal is below every user source.
 */
public class BodyLimitConfigSourceFactory implements ConfigSourceFactory {

    static final String KEY = "quarkus.http.limits.max-body-size";
    private static final long ENVELOPE = 1024 * 1024;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        long upload = size(context.getValue("omnirag.ingest.max-upload-size"), IngestConfig.DEFAULT_MAX_UPLOAD_SIZE);
        long json = size(context.getValue("omnirag.http.max-json-body"), HttpConfig.DEFAULT_MAX_JSON_BODY);
        long cap = Math.max(upload + ENVELOPE, json);
        return List.of(
                new MapBackedConfigSource("omnirag derived body limit", Map.of(KEY, Long.toString(cap)), 110) {});
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(110);
    }

    private static long size(ConfigValue value, String fallback) {
        String text =
                value == null || value.getValue() == null || value.getValue().isBlank() ? fallback : value.getValue();
        try {
            return new MemorySizeConverter().convert(text.strip()).asLongValue();
        } catch (RuntimeException e) {
            // The mapping reports a malformed size with the key's name; here the default stands in until it does.
            return new MemorySizeConverter().convert(fallback).asLongValue();
        }
    }
}
