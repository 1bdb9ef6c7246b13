package dev.omnirag.server.api;

import dev.omnirag.server.api.Views.JobView;
import dev.omnirag.server.db.JobEntity;
import dev.omnirag.server.security.Access;
import dev.omnirag.server.security.Principal;
import dev.omnirag.server.security.Role;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/** Ingestion jobs: their state, and a live SSE stream of their progress. */
@Path("/v1")
public class JobsResource {

    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration MAX_STREAM = Duration.ofHours(2);

    private final io.vertx.mutiny.sqlclient.Pool pool;
    private final Access access;

    JobsResource(io.vertx.mutiny.sqlclient.Pool pool, Access access) {
        this.pool = pool;
        this.access = access;
    }

    @GET
    @Path("/jobs/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<JobView> get(@PathParam("id") String id) {
        UUID jobId = Ids.parse("job", id);
        Principal p = access.principal();
        return fetch(jobId).map(j -> {
            if (j == null) {
                throw ApiException.notFound("job", id);
            }
            Access.require(p, j.collectionId(), Role.READ, () -> ApiException.notFound("job", id));
            return j;
        });
    }

    /**
     * Server-sent events: {@code progress} whenever status, progress or message change, then one {@code done}
     * event with the final job, after which the stream ends. The state is read from the database, so any replica
     * can serve the stream of any job.
     */
    @GET
    @Path("/jobs/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    public Multi<OutboundSseEvent> events(@PathParam("id") String id, @Context Sse sse) {
        UUID jobId = Ids.parse("job", id);
        // Checked before the stream starts: once SSE headers are out, a 404 can no longer be sent.
        Principal p = access.principal();
        JobView existing = fetch(jobId).await().atMost(Duration.ofSeconds(30));
        if (existing == null) {
            throw ApiException.notFound("job", id);
        }
        Access.require(p, existing.collectionId(), Role.READ, () -> ApiException.notFound("job", id));
        return Multi.createFrom().item(jobId).onItem().transformToMultiAndConcatenate(found -> {
            JobView[] last = new JobView[1];
            return Multi.createFrom()
                    .ticks()
                    .startingAfter(Duration.ofMillis(1))
                    .every(POLL)
                    .select()
                    .first(MAX_STREAM)
                    .onItem()
                    .transformToUniAndConcatenate(tick -> fetch(jobId).map(job -> job == null ? GONE : job))
                    .select()
                    .where(job -> {
                        if (job == GONE) {
                            return true;
                        }
                        JobView prev = last[0];
                        last[0] = job;
                        return prev == null
                                || !prev.status().equals(job.status())
                                || prev.progress() != job.progress()
                                || !Objects.equals(prev.message(), job.message());
                    })
                    .onItem()
                    .transformToMultiAndConcatenate(job -> job == GONE
                            // Deleted with its document or collection: say so and end, rather than idle.
                            ? Multi.createFrom()
                                    .items(
                                            sse.newEventBuilder()
                                                    .name("error")
                                                    .mediaType(MediaType.APPLICATION_JSON_TYPE)
                                                    .data(
                                                            java.util.Map.class,
                                                            java.util.Map.of(
                                                                    "status",
                                                                    404,
                                                                    "detail",
                                                                    "job " + id
                                                                            + " no longer exists: its document or collection was deleted"))
                                                    .build(),
                                            END)
                            : terminal(job)
                                    ? Multi.createFrom()
                                            .items(event(sse, "progress", job), event(sse, "done", job), END)
                                    : Multi.createFrom().items(event(sse, "progress", job)))
                    .select()
                    .first(e -> e != END);
        });
    }

    /** Stands for a job that vanished while streamed; never sent. */
    private static final JobView GONE = new JobView(null, null, null, "gone", 0, null, null, null, null, null, null, 0);

    /** Marks the end of a stream; never sent. */
    private static final OutboundSseEvent END = new EndMarker();

    private static boolean terminal(JobView job) {
        return JobEntity.SUCCEEDED.equals(job.status()) || JobEntity.FAILED.equals(job.status());
    }

    private static OutboundSseEvent event(Sse sse, String name, JobView job) {
        return sse.newEventBuilder()
                .name(name)
                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(JobView.class, job)
                .build();
    }

    /** A job as its row says now (null: none); read by SQL like every job read and write ({@code JobQueue}). */
    private Uni<JobView> fetch(UUID id) {
        return pool.preparedQuery(
                        "SELECT id, document_id, collection_id, status, progress, message, error, created_at, "
                                + "started_at, finished_at, worker, attempts FROM jobs WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> {
                    var it = rows.iterator();
                    if (!it.hasNext()) {
                        return null;
                    }
                    Row r = it.next();
                    return new JobView(
                            r.getUUID("id"),
                            r.getUUID("document_id"),
                            r.getUUID("collection_id"),
                            r.getString("status"),
                            r.getDouble("progress"),
                            r.getString("message"),
                            r.getString("error"),
                            r.getOffsetDateTime("created_at"),
                            r.getOffsetDateTime("started_at"),
                            r.getOffsetDateTime("finished_at"),
                            r.getString("worker"),
                            r.getInteger("attempts"));
                });
    }

    private static final class EndMarker implements OutboundSseEvent {
        public String getName() {
            return null;
        }

        public String getId() {
            return null;
        }

        public String getComment() {
            return null;
        }

        public long getReconnectDelay() {
            return -1;
        }

        public boolean isReconnectDelaySet() {
            return false;
        }

        public Class<?> getType() {
            return null;
        }

        public java.lang.reflect.Type getGenericType() {
            return null;
        }

        public MediaType getMediaType() {
            return null;
        }

        public Object getData() {
            return null;
        }
    }
}
