package dev.omnirag.server.security;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The service with API keys required, as in production; its log goes to a file the tests read. */
public class AuthProfile implements QuarkusTestProfile {

    static final String LOG = "target/auth-tests.log";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "omnirag.auth.enabled",
                "true",
                "quarkus.log.file.enabled",
                "true",
                "quarkus.log.file.path",
                LOG,
                // Small enough for BodyLimitsTest to spend with two announced 16 MiB bodies, and to wait out.
                "omnirag.http.body-memory",
                "160M",
                "omnirag.http.body-read-timeout",
                "3s",
                // Small enough for ModelCostTest to reach with a few seconds of embedding.
                "omnirag.auth.model-token-burst",
                "20000",
                "omnirag.auth.model-tokens-per-second",
                "1000",
                // ModelCostTest: three searches of one key at once.
                "omnirag.auth.max-concurrent-queries",
                "3",
                // CorsTest: one web app allowed to call the API from a browser.
                "omnirag.http.cors.origins",
                CorsTest.ALLOWED);
    }
}
