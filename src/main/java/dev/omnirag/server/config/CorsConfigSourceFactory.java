package dev.omnirag.server.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns {@code omnirag.http.cors.origins} into Quarkus' CORS filter settings: the filter is on only when origins
 * are listed (off, a request's {@code Origin} is never checked, so a proxy that rewrites {@code Host} cannot make
 * the web UI's own calls look cross-origin), with the methods and headers OpenAI and Cohere clients send and the
 * response headers they read. Settings of {@code quarkus.http.cors.*} made anywhere else still win (this source's
 * ordinal is below every user source).
 */
public class CorsConfigSourceFactory implements ConfigSourceFactory {

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue origins = context.getValue("omnirag.http.cors.origins");
        if (origins == null || origins.getValue() == null || origins.getValue().isBlank()) {
            return List.of();
        }
        Map<String, String> keys = Map.of(
                "quarkus.http.cors.enabled", "true",
                "quarkus.http.cors.origins", origins.getValue(),
                "quarkus.http.cors.methods", "GET,HEAD,POST,PUT,PATCH,DELETE,OPTIONS",
                "quarkus.http.cors.exposed-headers",
                        "Retry-After,Content-Range,Content-Disposition,Location,ETag,"
                                + "X-Request-Id,WWW-Authenticate",
                "quarkus.http.cors.access-control-max-age", "PT1H");
        return List.of(new MapBackedConfigSource("omnirag derived CORS", keys, 110) {});
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(110);
    }
}
