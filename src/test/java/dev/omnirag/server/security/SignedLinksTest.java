package dev.omnirag.server.security;

import static dev.omnirag.server.security.AuthFixture.as;
import static org.assertj.core.api.Assertions.assertThat;

import dev.omnirag.server.PostgresTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Citation links in chat answers open their document without an API key (a chat front end's user clicks them in a
 * browser that has no key), and open nothing else: not another document, not another page's image, not another
 * route, not after they expire, not after the signing key changed.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
@Tag("auth")
class SignedLinksTest {

    private static final Pattern LINK = Pattern.compile("\\]\\((http[^)\\s]+)\\)");

    /** A collection of its own holding one PDF: other tests add documents to the fixture's collections. */
    private static AuthFixture.Coll linked;

    private static synchronized AuthFixture.Coll linked(AuthFixture f) {
        if (linked == null) {
            linked = f.collection("links");
        }
        return linked;
    }

    /** The citation link of a RAG chat answer over that collection, as a path with its query. */
    private static String citationLink(AuthFixture f) {
        AuthFixture.Coll c = linked(f);
        io.restassured.path.json.JsonPath answer = as(f.admin)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "model",
                        "omnirag:" + c.name(),
                        "messages",
                        List.of(Map.of("role", "user", "content", "What thickens downstream?"))))
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        String content = answer.getString("choices[0].message.content");
        Matcher m = LINK.matcher(content);
        assertThat(m.find()).as("a citation link in %s", content).isTrue();
        String link = m.group(1);
        assertThat(answer.getList("citations.url")).contains(link);
        URI uri = URI.create(link);
        assertThat(uri.getPath()).isEqualTo("/v1/documents/" + c.docId() + "/content");
        assertThat(uri.getFragment()).isEqualTo("page=1");
        return uri.getRawPath() + "?" + uri.getRawQuery();
    }

    @Test
    void aCitationLinkOpensItsDocumentWithoutAKey() {
        AuthFixture f = AuthFixture.get();
        Response r = as(null).get(citationLink(f));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("application/pdf");
        assertThat(r.asByteArray()).startsWith("%PDF".getBytes());
        assertThat(r.getHeader("Content-Security-Policy")).isEqualTo("sandbox; default-src 'none'");
    }

    @Test
    void aCitationLinkOpensTheImageOfItsPageOnly() {
        AuthFixture f = AuthFixture.get();
        String query = citationLink(f).replaceFirst("^[^?]*", "");
        String pages = "/v1/documents/" + linked(f).docId() + "/pages/";
        Response page = as(null).get(pages + "1.png" + query);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.contentType()).isEqualTo("image/png");
        assertThat(as(null).get(pages + "2.png" + query).statusCode()).isEqualTo(401);
    }

    @Test
    void aCitationLinkOpensNothingElse() {
        AuthFixture f = AuthFixture.get();
        String link = citationLink(f);
        String query = link.replaceFirst("^[^?]*", "");
        // Another document with this document's signature.
        Response other = as(null).get("/v1/documents/" + f.b.docId() + "/content" + query);
        assertThat(other.statusCode()).isEqualTo(401);
        assertThat(other.contentType()).startsWith("application/problem+json");
        assertThat(other.jsonPath().getString("detail")).contains("signature is not valid");
        // Other routes of the same document, and the API itself.
        assertThat(as(null).get("/v1/documents/" + linked(f).docId() + query).statusCode())
                .isEqualTo(401);
        assertThat(as(null).get("/v1/documents/" + linked(f).docId() + "/pages/1/highlight" + query + "&quote=x")
                        .statusCode())
                .isEqualTo(401);
        assertThat(as(null).get("/v1/collections" + query).statusCode()).isEqualTo(401);
        assertThat(as(null).delete(link).statusCode()).isEqualTo(401);
        // A later expiry or another page in the query breaks the signature.
        long exp = Long.parseLong(query.replaceFirst(".*[?&]exp=(\\d+).*", "$1"));
        assertThat(as(null).get(link.replace("exp=" + exp, "exp=" + (exp + 86_400)))
                        .statusCode())
                .isEqualTo(401);
        assertThat(as(null).get(link.replace("page=1", "page=2")).statusCode()).isEqualTo(401);
        assertThat(as(null).get(link.replaceFirst("sig=[^&]+", "sig=")).statusCode())
                .isEqualTo(401);
    }

    @Test
    void anExpiredLinkIsRefusedWithAReadableReason() {
        AuthFixture f = AuthFixture.get();
        byte[] key = LinkSigner.key(Optional.empty(), PostgresTestResource.HOME);
        Clock lastWeek = Clock.fixed(Instant.now().minus(Duration.ofDays(7)), ZoneOffset.UTC);
        LinkSigner.Signature old = new LinkSigner(key, Duration.ofDays(1), lastWeek)
                .sign(UUID.fromString(linked(f).docId()), 1);
        Response r = as(null).get("/v1/documents/" + linked(f).docId() + "/content?" + old.query());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.jsonPath().getString("detail")).contains("expired at").contains("fresh link");
        // The same key with a current clock: the server accepts what it signed.
        LinkSigner.Signature fresh = new LinkSigner(key, Duration.ofMinutes(5), Clock.systemUTC())
                .sign(UUID.fromString(linked(f).docId()), 0);
        assertThat(as(null).get("/v1/documents/" + linked(f).docId() + "/content?" + fresh.query())
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void aLinkSignedWithAnotherKeyIsRefused() {
        AuthFixture f = AuthFixture.get();
        LinkSigner rotated = new LinkSigner(
                "another key, as after a rotation, 32+ chars".getBytes(), Duration.ofDays(1), Clock.systemUTC());
        String query = rotated.sign(UUID.fromString(linked(f).docId()), 1).query();
        assertThat(as(null).get("/v1/documents/" + linked(f).docId() + "/content?" + query)
                        .statusCode())
                .isEqualTo(401);
    }
}
