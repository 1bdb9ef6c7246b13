package dev.omnirag.server;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.omnirag.server.search.SentenceBackfill;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The extractive answer's sentence vectors made ahead of time: once made, an ask over those chunks embeds none of
 * their sentences; an ask over chunks without them embeds their sentences; deleting the document removes them. (The server makes them in the background when idle; tests make them by calling the backfill, so the
 * counts of embedded texts stay exact.)
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class SentenceVectorsTest {

    private static final String LIGHTHOUSE = """
            The Varnholm lighthouse was built in 1887 by the engineer Ada Kessler on the northern cape.
            Its lamp burned whale oil until 1923, when an electric lamp replaced the old burner.
            The tower stands forty-two metres tall, and its light reaches thirty nautical miles out to sea.
            Keepers lived in the stone cottage at the foot of the tower with their families.
            In 1971 the lighthouse was automated and the last keeper left the island for good.
            """;

    private static final String ORCHARD = """
            The Tallmoor orchard grows nineteen old varieties of pear on a south-facing slope.
            Its oldest tree was grafted in 1902 and still bears fruit every second autumn.
            The pears are picked by hand in late September and stored in a cool cellar under the barn.
            Frost in April is the greatest danger, so the growers light small fires between the rows.
            """;

    @Inject
    SentenceBackfill backfill;

    @Inject
    MeterRegistry registry;

    @Inject
    Pool pool;

    @Test
    void anAskOverChunksWithStoredSentenceVectorsEmbedsNoneOfTheirSentences() throws IOException {
        String lighthouse = collectionWith("lighthouse", LIGHTHOUSE);
        long chunks = count(
                "SELECT count(*) FROM chunks c JOIN documents d ON d.id = c.document_id "
                        + "WHERE d.collection_id = $1",
                lighthouse);

        assertThat(backfill.backfill(UUID.fromString(lighthouse)))
                .as("chunks whose sentences were embedded")
                .isEqualTo(chunks)
                .isPositive();
        assertThat(backfill.backfill(UUID.fromString(lighthouse)))
                .as("a second run finds nothing left")
                .isZero();
        assertThat(rows(lighthouse)).isEqualTo(chunks);

        double before = embedded();
        JsonPath answer = ask(lighthouse, "When was the Varnholm lighthouse automated?");

        assertThat(embedded() - before)
                .as("texts embedded by the ask: at most the question, none of the passages' sentences")
                .isLessThanOrEqualTo(1);
        assertThat(answer.<String>getList("citations.quote"))
                .anySatisfy(quote -> assertThat(quote).contains("In 1971 the lighthouse was automated"));
        assertThat(answer.getString("citations[0].support")).isEqualTo("strong");
    }

    @Test
    void anAskOverChunksWithoutThemEmbedsTheirSentencesAndDeletingTheDocumentRemovesThem() throws IOException {
        String orchard = collectionWith("orchard", ORCHARD);

        double before = embedded();
        JsonPath answer = ask(orchard, "When are the Tallmoor pears picked?");

        assertThat(embedded() - before)
                .as("the question and the passages' sentences")
                .isGreaterThan(2);
        assertThat(answer.<String>getList("citations.quote"))
                .anySatisfy(quote -> assertThat(quote).contains("picked by hand in late September"));

        backfill.backfill(UUID.fromString(orchard));
        String document = given().get("/v1/collections/" + orchard + "/documents")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("documents[0].id");
        given().delete("/v1/documents/" + document).then().statusCode(204);

        assertThat(rows(orchard)).isZero();
    }

    private static String collectionWith(String name, String text) throws IOException {
        String collection = TestSupport.createCollection(name);
        Path file = Files.createTempFile(name, ".txt");
        try {
            Files.writeString(file, text);
            JsonPath done = TestSupport.ingest(collection, file);
            assertThat(done.getString("status"))
                    .as("job error: %s", done.getString("error"))
                    .isEqualTo("succeeded");
        } finally {
            Files.deleteIfExists(file);
        }
        return collection;
    }

    private static JsonPath ask(String collection, String question) {
        return given().contentType(ContentType.JSON)
                .body("{\"question\": \"" + question + "\"}")
                .post("/v1/collections/" + collection + "/ask")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private double embedded() {
        return registry.get("omnirag.embedder.texts").counter().count();
    }

    /** The collection's rows of stored sentence vectors. */
    private long rows(String collection) {
        return count(
                "SELECT count(*) FROM sentence_vectors s JOIN chunks c ON c.id = s.chunk_id "
                        + "JOIN documents d ON d.id = c.document_id WHERE d.collection_id = $1",
                collection);
    }

    private long count(String sql, String collection) {
        return TestSupport.count(pool, sql, collection);
    }
}
