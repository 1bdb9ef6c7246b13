package dev.omnirag.server.wiring;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnirag.server.config.Misconfiguration;
import java.util.Map;
import java.util.Optional;

/** Configuration values that hold a JSON object (extra request fields for model servers). */
final class ConfigJson {

    private ConfigJson() {}

    /** The option's value parsed as a JSON object; null when unset or blank. */
    static Map<String, Object> object(String key, Optional<String> value) {
        if (value.isEmpty() || value.get().isBlank()) {
            return null;
        }
        try {
            return new ObjectMapper().readValue(value.get(), new TypeReference<Map<String, Object>>() {});
        } catch (Exception e) {
            throw new Misconfiguration(key + " must be a JSON object; " + key + "=" + value.get(), e);
        }
    }
}
