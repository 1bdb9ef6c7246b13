package dev.omnirag.server;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The sentence vectors the server makes by itself once it is idle (the background walk, not the backfill that
 * {@link SentenceVectorsTest} calls): after an ingestion of more chunks than one step of the walk reads, every chunk
 * gets its row and an ask over them embeds only its question.
 */
@QuarkusTest
@Tag("backfill") // another profile: a JVM of its own (src/pom.xml)
@TestProfile(SentenceBackfillTest.QuickToIdle.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class SentenceBackfillTest {

    /** The server counts as idle 200 ms after the last request that does work (24 h in the other tests). */
    public static class QuickToIdle implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("omnirag.generator.sentence-vectors-quiet", "200ms");
        }
    }

    @Inject
    MeterRegistry registry;

    @Inject
    Pool pool;

    @Test
    void aServerLeftIdleMakesTheSentenceVectorsOfEveryChunkAndAsksThenEmbedOnlyTheQuestion() throws IOException {
        String collection = TestSupport.createCollection("idle-backfill");
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 600; i++) {
            text.append("Entry ")
                    .append(i)
                    .append(" of the Varnholm harbour ledger records a cargo of ")
                    .append(i * 7 % 97 + 3)
                    .append(" barrels of salted herring.\n");
        }
        Path file = Files.createTempFile("ledger", ".txt");
        try {
            Files.writeString(file, text);
            assertThat(TestSupport.ingest(collection, file).getString("status")).isEqualTo("succeeded");
        } finally {
            Files.deleteIfExists(file);
        }
        long chunks = count(
                "SELECT count(*) FROM chunks c JOIN documents d ON d.id = c.document_id "
                        + "WHERE d.collection_id = $1",
                collection);
        assertThat(chunks).as("more chunks than one step of the walk reads").isGreaterThan(32);

        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(count(
                                "SELECT count(*) FROM sentence_vectors s JOIN chunks c ON c.id = s.chunk_id "
                                        + "JOIN documents d ON d.id = c.document_id WHERE d.collection_id = $1",
                                collection))
                        .as("chunks with stored sentence vectors")
                        .isEqualTo(chunks));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(registry.get("omnirag.sentence.vectors.backlog")
                                .gauge()
                                .value())
                        .as("the backlog gauge")
                        .isZero());

        double before = registry.get("omnirag.embedder.texts").counter().count();
        JsonPath answer = given().contentType(ContentType.JSON)
                .body("{\"question\": \"How many barrels of salted herring does entry 12 record?\"}")
                .post("/v1/collections/" + collection + "/ask")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(registry.get("omnirag.embedder.texts").counter().count() - before)
                .as("texts embedded by the ask: the question only")
                .isLessThanOrEqualTo(1);
        assertThat(answer.<String>getList("citations.quote")).isNotEmpty();
    }

    private long count(String sql, String collection) {
        return TestSupport.count(pool, sql, collection);
    }
}
