package dev.omnirag.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnirag.server.PostgresTestResource;
import dev.omnirag.server.TestSupport;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The durable job queue on its own (this instance runs no workers, so nothing else claims): claims take small files
 * of one collection together and a resumed or large one alone, and only the claim that holds a job may finish or
 * fail it.
 */
@Tag("queue")
@QuarkusTest
@TestProfile(JobQueueTest.QueueOnly.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class JobQueueTest {

    /** No ingestion workers: the test is the only claimant. */
    public static class QueueOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("omnirag.ingest.workers", "0", "omnirag.ingest.claim-batch", "16");
        }
    }

    @Inject
    JobQueue jobs;

    @Inject
    Pool pool;

    @Test
    void smallFilesOfOneCollectionAreClaimedTogetherAndALargeOneAlone() {
        UUID collection = UUID.fromString(TestSupport.createCollection("queue-batch"));
        List<JobQueue.NewDocument> files = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            files.add(document("small-" + i, 1_000));
        }
        files.add(document("large", 100_000));
        files.add(document("after-large", 1_000));
        List<JobQueue.Enqueued> queued = jobs.enqueue(collection, files);
        assertThat(queued).hasSize(7).noneMatch(JobQueue.Enqueued::duplicate);

        List<JobQueue.Claim> first = claimAll(collection);
        assertThat(first)
                .extracting(JobQueue.Claim::filename)
                .containsExactly("small-0", "small-1", "small-2", "small-3", "small-4");
        assertThat(first).allMatch(c -> c.attempt() == 1);
        assertThat(claimAll(collection)).extracting(JobQueue.Claim::filename).containsExactly("large");
        assertThat(claimAll(collection)).extracting(JobQueue.Claim::filename).containsExactly("after-large");
    }

    @Test
    void collectionsTakeTurnsSoOneLongQueueDoesNotHoldAnotherBack() {
        UUID busy = UUID.fromString(TestSupport.createCollection("queue-turns-busy"));
        UUID other = UUID.fromString(TestSupport.createCollection("queue-turns-other"));
        List<JobQueue.NewDocument> many = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            many.add(document("busy-" + i, 100_000)); // large: one job per claim
        }
        jobs.enqueue(busy, many);
        jobs.enqueue(other, List.of(document("other-0", 100_000), document("other-1", 100_000)));

        // Claims of other tests' collections (queued by them, handed back) may come in between; these two alternate.
        List<UUID> order = new ArrayList<>();
        for (int round = 0; round < 100 && order.size() < 6; round++) {
            List<JobQueue.Claim> claims = jobs.claim(16);
            assertThat(claims).isNotEmpty();
            UUID from = claims.getFirst().collectionId();
            if (from.equals(busy) || from.equals(other)) {
                order.add(from);
            } else {
                handBack(claims);
            }
        }
        assertThat(order).hasSize(6);
        for (int i = 0; i < 3; i++) {
            assertThat(order.get(i + 1)).as("claim %d of %s", i + 1, order).isNotEqualTo(order.get(i));
        }
        assertThat(order.subList(4, 6))
                .as("busy's rest, once other's queue is empty")
                .containsOnly(busy);
    }

    @Test
    void sameBytesQueuedTwiceGiveOneDocumentAndADuplicate() {
        UUID collection = UUID.fromString(TestSupport.createCollection("queue-dup"));
        JobQueue.NewDocument file = document("twice", 10);
        List<JobQueue.Enqueued> queued = jobs.enqueue(collection, List.of(file, file));
        assertThat(queued.get(0).duplicate()).isFalse();
        assertThat(queued.get(1).duplicate()).isTrue();
        assertThat(queued.get(1).documentId()).isEqualTo(queued.get(0).documentId());
        assertThat(queued.get(1).jobId()).isEqualTo(queued.get(0).jobId());
    }

    @Test
    void aJobResumedAfterAnExpiredLeaseIsClaimedAloneAndOnlyTheNewClaimFinishesIt() {
        UUID collection = UUID.fromString(TestSupport.createCollection("queue-resume"));
        jobs.enqueue(collection, List.of(document("a", 10), document("b", 10), document("c", 10)));
        List<JobQueue.Claim> first = claimAll(collection);
        assertThat(first).hasSize(3);
        // The worker that held them "crashed": its leases run out.
        pool.preparedQuery("UPDATE jobs SET lease_until = now() - interval '1 second' WHERE collection_id = $1")
                .execute(Tuple.of(collection))
                .await()
                .atMost(Duration.ofSeconds(10));

        List<JobQueue.Claim> resumed = claimAll(collection);
        assertThat(resumed).hasSize(1);
        assertThat(resumed.getFirst().attempt()).isEqualTo(2);
        JobQueue.Claim stale = first.stream()
                .filter(c -> c.jobId().equals(resumed.getFirst().jobId()))
                .findFirst()
                .orElseThrow();

        JobQueue.Finished byStale = new JobQueue.Finished(stale, List.of(), 1, "indexed 0 chunks");
        assertThat(jobs.finish(List.of(byStale))).containsExactly(JobQueue.Outcome.TAKEN_OVER);
        assertThat(jobs.fail(stale.jobId(), "late failure of the old claim", stale.attempt()))
                .isEmpty();

        JobQueue.ChunkRow chunk = new JobQueue.ChunkRow(
                IngestionPipeline.chunkId(stale.documentId(), 0),
                0,
                1,
                0,
                10,
                3,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        JobQueue.Finished byHolder = new JobQueue.Finished(resumed.getFirst(), List.of(chunk), 1, "indexed 1 chunks");
        assertThat(jobs.finish(List.of(byHolder))).containsExactly(JobQueue.Outcome.READY);
        var row = pool.preparedQuery("SELECT d.status, d.chunk_count, j.status AS job FROM documents d JOIN jobs j "
                        + "ON j.document_id = d.id WHERE j.id = $1")
                .execute(Tuple.of(stale.jobId()))
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next();
        assertThat(row.getString("status")).isEqualTo("ready");
        assertThat(row.getInteger("chunk_count")).isEqualTo(1);
        assertThat(row.getString("job")).isEqualTo("succeeded");
        // A success is final: a failure afterwards changes nothing.
        assertThat(jobs.fail(stale.jobId(), "too late", null)).isEmpty();
    }

    @Test
    void aFailureMarksTheJobAndItsDocumentFailedWithTheReason() {
        UUID collection = UUID.fromString(TestSupport.createCollection("queue-fail"));
        jobs.enqueue(collection, List.of(document("broken", 10)));
        JobQueue.Claim claim = claimAll(collection).getFirst();
        var failed = jobs.fail(claim.jobId(), "the file is damaged", claim.attempt());
        assertThat(failed).contains(new JobQueue.FailedDocument(claim.documentId(), collection));
        var row = pool.preparedQuery("SELECT d.status, d.error, j.status AS job, j.error AS job_error FROM documents d "
                        + "JOIN jobs j ON j.document_id = d.id WHERE j.id = $1")
                .execute(Tuple.of(claim.jobId()))
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next();
        assertThat(row.getString("status")).isEqualTo("failed");
        assertThat(row.getString("error")).isEqualTo("the file is damaged");
        assertThat(row.getString("job")).isEqualTo("failed");
        assertThat(row.getString("job_error")).isEqualTo("the file is damaged");
    }

    @Test
    void oneBatchQueuesNewBytesAFailedDocumentAgainAndAnswersKnownBytesAsDuplicates() {
        UUID collection = UUID.fromString(TestSupport.createCollection("queue-mixed"));
        JobQueue.NewDocument known = document("known", 10);
        JobQueue.NewDocument broken = document("broken", 10);
        jobs.enqueue(collection, List.of(known, broken));
        List<JobQueue.Claim> claims = claimAll(collection);
        JobQueue.Claim brokenClaim = claims.stream()
                .filter(c -> c.filename().equals("broken"))
                .findFirst()
                .orElseThrow();
        jobs.fail(brokenClaim.jobId(), "the file is damaged", brokenClaim.attempt());

        JobQueue.NewDocument fresh = document("fresh", 10);
        JobQueue.NewDocument brokenAgain = new JobQueue.NewDocument("mended", "text/plain", 10, broken.sha256(), "{}");
        List<JobQueue.Enqueued> queued = jobs.enqueue(collection, List.of(brokenAgain, known, fresh, fresh));

        assertThat(queued).extracting(JobQueue.Enqueued::duplicate).containsExactly(false, true, false, true);
        assertThat(queued.get(0).documentId()).isEqualTo(brokenClaim.documentId());
        assertThat(queued.get(1).documentId())
                .isEqualTo(claims.stream()
                        .filter(c -> c.filename().equals("known"))
                        .findFirst()
                        .orElseThrow()
                        .documentId());
        assertThat(queued.get(3).documentId()).isEqualTo(queued.get(2).documentId());
        assertThat(queued.get(3).jobId()).isEqualTo(queued.get(2).jobId());
        // The failed document, renamed, and the new one are queued in the order they came.
        assertThat(claimAll(collection)).extracting(JobQueue.Claim::filename).containsExactly("mended", "fresh");
    }

    /** Claims from {@code collection} only: other tests' collections may have queued jobs too. */
    private List<JobQueue.Claim> claimAll(UUID collection) {
        for (int round = 0; round < 50; round++) {
            List<JobQueue.Claim> claims = jobs.claim(16);
            if (claims.isEmpty()) {
                return claims;
            }
            if (claims.getFirst().collectionId().equals(collection)) {
                return claims;
            }
            handBack(claims);
        }
        throw new AssertionError("no job of collection " + collection + " was claimed");
    }

    /** Another test's jobs: handed back untouched (queued again, in their place). */
    private void handBack(List<JobQueue.Claim> claims) {
        claims.forEach(
                c -> pool.preparedQuery("UPDATE jobs SET status = 'queued', worker = NULL, attempts = 0 WHERE id = $1")
                        .execute(Tuple.of(c.jobId()))
                        .await()
                        .atMost(Duration.ofSeconds(10)));
    }

    private static JobQueue.NewDocument document(String name, long size) {
        return new JobQueue.NewDocument(
                name, "text/plain", size, UUID.randomUUID().toString().replace("-", "") + name.hashCode(), "{}");
    }
}
