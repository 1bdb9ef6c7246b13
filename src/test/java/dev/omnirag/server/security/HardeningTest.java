package dev.omnirag.server.security;

import static dev.omnirag.server.security.AuthFixture.as;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The low-severity findings of the security review: a search filter with too many metadata keys, refused requests in
 * the metrics, a malformed Host header, citation links that must
 * not take the request's Host, and the security headers of the web UI.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
@Tag("auth")
class HardeningTest {

    @Test
    void aFilterWithTooManyMetadataKeysGets400NamingTheLimit() {
        AuthFixture f = AuthFixture.get();
        Map<String, String> metadata = new HashMap<>();
        for (int i = 0; i < 1025; i++) {
            metadata.put("k" + i, "v");
        }
        Response r = as(f.aRead)
                .contentType(ContentType.JSON)
                .body(Map.of("query", "boundary layer", "filter", Map.of("metadata", metadata)))
                .post("/v1/collections/" + f.a.id() + "/search");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(400);
        assertThat(r.jsonPath().getString("detail"))
                .contains("at most 100 keys")
                .contains("1025");
    }

    @Test
    void aMetadataFieldOverTheFormLimitGets413NamingTheLimit() {
        AuthFixture f = AuthFixture.get();
        Response r = as(f.aWrite)
                .multiPart("file", "note.txt", "a note".getBytes(StandardCharsets.UTF_8), "text/plain")
                .multiPart("metadata", "{\"long\":\"" + "x".repeat(3000) + "\"}")
                .post("/v1/collections/" + f.a.id() + "/documents");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(413);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.jsonPath().getString("detail")).contains("quarkus.http.limits.max-form-attribute-size");
    }

    @Test
    void unauthenticatedRequestsAreOneMetricsSeriesWhateverTheirPath() {
        AuthFixture f = AuthFixture.get();
        String marker = "probe" + UUID.randomUUID().toString().replace("-", "");
        for (int i = 0; i < 5; i++) {
            as(null).get("/v1/collections/" + marker + i + "/documents").then().statusCode(401);
        }
        String metrics =
                as(f.admin).get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).doesNotContain(marker);
        Matcher m = Pattern.compile("http_server_requests_seconds_count\\{[^}]*status=\"401\"[^}]*uri=\"([^\"]*)\"")
                .matcher(metrics);
        List<String> uris = m.results().map(r -> r.group(1)).distinct().toList();
        // Only bounded series: the refused ones, and templates (match-patterns) of paths routing knows.
        assertThat(uris)
                .contains("/UNAUTHENTICATED")
                .allSatisfy(u -> assertThat(u).matches("/UNAUTHENTICATED|/RATE_LIMITED|UNKNOWN|/v1/[a-z]+/\\{id}"));
    }

    @Test
    void aMalformedHostHeaderGetsAProblemDocument() throws Exception {
        for (String host : List.of("a b", "[::1", "x:99999")) {
            try (RawHttp http = new RawHttp(io.restassured.RestAssured.port)) {
                http.write(("GET /v1/models HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                assertThat(http.status()).isEqualTo(400);
                assertThat(http.rest()).contains("application/problem+json").contains("Host header is malformed");
            }
        }
    }

    @Test
    void citationLinksNeverTakeTheRequestsHostHeader() throws Exception {
        AuthFixture f = AuthFixture.get();
        String body = "{\"model\":\"omnirag:" + f.a.name() + "\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"What thickens downstream?\"}]}";
        try (RawHttp http = new RawHttp(io.restassured.RestAssured.port)) {
            http.head(
                    "POST /v1/chat/completions HTTP/1.1",
                    "Host: attacker.example:666",
                    "Connection: close",
                    "Content-Type: application/json",
                    "Authorization: Bearer " + f.aRead,
                    "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length);
            http.write(body);
            assertThat(http.status()).isEqualTo(200);
            String answer = http.rest();
            assertThat(answer).contains("/v1/documents/").doesNotContain("attacker.example");
        }
    }

    @Test
    void theWebUiComesWithAContentSecurityPolicyAndNoFraming() {
        Response r = as(null).get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.getHeader("Content-Security-Policy"))
                .contains("script-src 'self'")
                .contains("frame-ancestors 'none'");
        assertThat(r.getHeader("X-Frame-Options")).isEqualTo("DENY");
        assertThat(r.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(as(null).get("/v1/models").getHeader("X-Content-Type-Options"))
                .isEqualTo("nosniff");
    }

    @Test
    void originalFilesAreServedSandboxedAndActiveTypesAsAttachments() {
        AuthFixture f = AuthFixture.get();
        String html = "<html><body><script>document.title=localStorage.length</script>memo</body></html>";
        String docId = as(f.aWrite)
                .multiPart("file", "memo.html", html.getBytes(StandardCharsets.UTF_8), "text/html")
                .post("/v1/collections/" + f.a.id() + "/documents")
                .then()
                .statusCode(202)
                .extract()
                .path("documentId");
        Response original = as(f.aRead).get("/v1/documents/" + docId + "/content");
        assertThat(original.statusCode()).isEqualTo(200);
        assertThat(original.getHeader("Content-Security-Policy")).isEqualTo("sandbox; default-src 'none'");
        assertThat(original.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(original.getHeader("Content-Disposition")).startsWith("attachment");
        Response pdf = as(f.aRead).get("/v1/documents/" + f.a.docId() + "/content");
        assertThat(pdf.getHeader("Content-Disposition")).startsWith("inline");
        assertThat(pdf.getHeader("Content-Security-Policy")).isEqualTo("sandbox; default-src 'none'");
    }
}
