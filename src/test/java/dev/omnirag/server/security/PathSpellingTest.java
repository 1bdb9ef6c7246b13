package dev.omnirag.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.ws.rs.Consumes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * However a path is spelled, what routing matches is what is authenticated: a {@code ;} (matrix parameters, which
 * routing drops), its escape {@code %3B} and escaped control characters are refused before any handler, and every
 * resource method, reached by any spelling, answers 400 or 401 to a request without a key. Sent on raw sockets:
 * HTTP clients normalise such paths before sending.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
@Tag("auth")
class PathSpellingTest {

    private static final Logger LOG = Logger.getLogger(PathSpellingTest.class);
    private static final String CHAT = "{\"model\":\"any\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void aSemicolonInThePathNeverReachesAnEndpointWithoutAKey() throws Exception {
        AuthFixture.get();
        for (String path : List.of(
                "/v1;x/chat/completions",
                "/v1;/chat/completions",
                "/v1/chat;x/completions",
                "/v1/chat/completions;x",
                "/v1%3Bx/chat/completions",
                "/v1%3bx/embeddings",
                "/v1;x/embeddings",
                "/v1;x/rerank",
                "/v1/models;x",
                "/v1%00/models",
                "/q;x/metrics",
                "/v1;x/keys")) {
            int status = call("POST", path, "json");
            assertThat(status).as("status for %s", path).isIn(400, 401);
        }
    }

    @Test
    void aSemicolonGetsAProblemNamingIt() throws Exception {
        try (RawHttp http = new RawHttp(io.restassured.RestAssured.port)) {
            http.head("GET /v1;x/models HTTP/1.1", "Connection: close");
            assertThat(http.status()).isEqualTo(400);
            String rest = http.rest();
            assertThat(rest).contains("application/problem+json").contains("';'");
        }
    }

    /**
     * Every resource method under dev.omnirag.server, called without a key, by its own path and with {@code ;x}
     * spliced in at each segment: never anything but 400 or 401. Routes are read from the classes, so a new endpoint
     * is covered without a change here.
     */
    @Test
    void everyResourceMethodNeedsACallerHoweverItsPathIsSpelled() throws Exception {
        AuthFixture f = AuthFixture.get();
        List<String> failures = new ArrayList<>();
        int calls = 0;
        for (String[] route : routes()) {
            String method = route[0];
            String path = route[1].replace("{id}", f.a.id())
                    .replace("{keyId}", f.victimId)
                    .replace("{n}", "1");
            List<String> spellings = new ArrayList<>(List.of(path, path + ";x"));
            String[] segments = path.substring(1).split("/");
            for (int i = 0; i < segments.length; i++) {
                String[] copy = segments.clone();
                copy[i] = copy[i] + ";x";
                spellings.add("/" + String.join("/", copy));
                copy[i] = segments[i] + "%3B";
                spellings.add("/" + String.join("/", copy));
            }
            for (String spelling : spellings) {
                int status = call(method, spelling, route[2]);
                calls++;
                if (status != 400 && status != 401) {
                    failures.add(method + " " + spelling + " -> " + status);
                }
            }
        }
        LOG.infof("%d calls without a key on %d routes", calls, routes().size());
        assertThat(calls).isGreaterThan(100);
        assertThat(failures)
                .as("calls without a key that got past authentication")
                .isEmpty();
    }

    /** {method, path, body kind} of every resource method. */
    private static List<String[]> routes() {
        List<String[]> routes = new ArrayList<>();
        for (ResourceRoutes.Route r : ResourceRoutes.all()) {
            Consumes c = r.method().getAnnotation(Consumes.class);
            boolean multipart = c != null && Arrays.stream(c.value()).anyMatch(v -> v.startsWith("multipart/"));
            // A template with a regular expression ("{id: .+}") is called like a plain one.
            routes.add(new String[] {
                r.http(), r.path().replaceAll("\\{(\\w+):[^}]*}", "{$1}"), multipart ? "multipart" : "json"
            });
        }
        assertThat(routes).hasSizeGreaterThan(20);
        return routes;
    }

    private static int call(String method, String path, String kind) throws Exception {
        try (RawHttp http = new RawHttp(io.restassured.RestAssured.port)) {
            if (method.equals("GET") || method.equals("DELETE")) {
                http.head(method + " " + path + " HTTP/1.1", "Connection: close");
            } else if (kind.equals("multipart")) {
                String boundary = "b" + UUID.randomUUID();
                String body =
                        "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
                                + "Content-Type: text/plain\r\n\r\nhello\r\n--" + boundary + "--\r\n";
                http.head(
                        method + " " + path + " HTTP/1.1",
                        "Connection: close",
                        "Content-Type: multipart/form-data; boundary=" + boundary,
                        "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length);
                http.write(body);
            } else {
                http.head(
                        method + " " + path + " HTTP/1.1",
                        "Connection: close",
                        "Content-Type: application/json",
                        "Content-Length: " + CHAT.getBytes(StandardCharsets.UTF_8).length);
                http.write(CHAT);
            }
            return http.status();
        }
    }
}
