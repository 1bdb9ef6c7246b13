package dev.omnirag.server;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Collections take turns in the ingestion queue: a file uploaded to a second collection right after a burst of
 * uploads to a first one is ingested after the first collection's current file, not after its whole burst.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class FairQueueTest {

    @Test
    void aCollectionIsServedBetweenTheFilesOfAnotherCollectionsBurst(@TempDir Path tmp) throws Exception {
        String busy = TestSupport.createCollection("busy-writer");
        String other = TestSupport.createCollection("other-writer");
        List<String> burst = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            StringBuilder text = new StringBuilder();
            for (int p = 0; p < 120; p++) {
                text.append("Report ")
                        .append(i)
                        .append(", paragraph ")
                        .append(p)
                        .append(": the wing's boundary layer was measured at station ")
                        .append(p * 7 + i)
                        .append(" and found to thicken downstream.\n\n");
            }
            Path file = Files.writeString(tmp.resolve("burst-" + i + ".txt"), text);
            burst.add(TestSupport.upload(busy, file, 202).getString("jobId"));
        }
        Path single =
                Files.writeString(tmp.resolve("single.txt"), "One note in another collection: flutter at Mach 0.8.");
        String otherJob = TestSupport.upload(other, single, 202).getString("jobId");
        for (String job : burst) {
            TestSupport.awaitJob(job);
        }
        OffsetDateTime otherDone = finished(TestSupport.awaitJob(otherJob).getString("finishedAt"));
        long burstAfter = burst.stream()
                .map(job -> finished(given().get("/v1/jobs/" + job)
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("finishedAt")))
                .filter(t -> t.isAfter(otherDone))
                .count();
        assertThat(burstAfter)
                .as("files of the burst ingested after the other collection's file")
                .isGreaterThanOrEqualTo(3);
    }

    private static OffsetDateTime finished(String text) {
        return OffsetDateTime.parse(text);
    }
}
