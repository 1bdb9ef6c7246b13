package dev.omnirag.server.security;

import static dev.omnirag.server.security.AuthFixture.as;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A web app on an allowed origin can call the API from a browser (preflight answered without a key, the answer
 * readable cross-origin, errors included); other origins get nothing a browser would let them read.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
@Tag("auth")
class CorsTest {

    static final String ALLOWED = "https://chat.example.com";

    @Test
    void preflightFromAnAllowedOriginIsAnsweredWithoutAKey() {
        Response r = as(null).header("Origin", ALLOWED)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .options("/v1/chat/completions");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.getHeader("Access-Control-Allow-Origin")).isEqualTo(ALLOWED);
        assertThat(r.getHeader("Access-Control-Allow-Methods")).contains("POST");
        assertThat(r.getHeader("Access-Control-Allow-Headers").toLowerCase()).contains("authorization");
    }

    @Test
    void callsFromAnAllowedOriginAreReadableAndStillNeedAKey() {
        AuthFixture f = AuthFixture.get();
        Response ok = as(f.aRead).header("Origin", ALLOWED).get("/v1/models");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.getHeader("Access-Control-Allow-Origin")).isEqualTo(ALLOWED);
        Response noKey = as(null).header("Origin", ALLOWED).get("/v1/models");
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(noKey.getHeader("Access-Control-Allow-Origin")).isEqualTo(ALLOWED);
        assertThat(noKey.getHeader("Access-Control-Expose-Headers")).contains("WWW-Authenticate");
    }

    @Test
    void otherOriginsGetNothingABrowserWouldShowThem() {
        AuthFixture f = AuthFixture.get();
        Response r = as(f.aRead).header("Origin", "https://evil.example").get("/v1/models");
        assertThat(r.getHeader("Access-Control-Allow-Origin")).isNull();
        Response preflight = as(null).header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .options("/v1/chat/completions");
        assertThat(preflight.getHeader("Access-Control-Allow-Origin")).isNull();
    }
}
