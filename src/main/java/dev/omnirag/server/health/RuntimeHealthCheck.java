package dev.omnirag.server.health;

import dev.omnirag.server.ingest.IngestionWorkers;
import io.netty.util.concurrent.EventExecutor;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Whether the threads the service cannot work without are alive and answering: every Vert.x event loop and
 * acceptor runs a no-op within {@link #ANSWER} (an event loop killed by an OutOfMemoryError rejects it, a blocked
 * one does not run it), and every ingestion worker loop and the committer run. DOWN names what stopped, so a load
 * balancer stops sending requests and an orchestrator restarts the process (liveness); never blocks a thread.
 */
@Readiness
@Liveness
@ApplicationScoped
public class RuntimeHealthCheck implements AsyncHealthCheck {

    /** How long an event loop may take to run a no-op before it counts as stuck. */
    static final Duration ANSWER = Duration.ofSeconds(2);

    private final Vertx vertx;
    private final IngestionWorkers ingestion;

    RuntimeHealthCheck(Vertx vertx, IngestionWorkers ingestion) {
        this.vertx = vertx;
        this.ingestion = ingestion;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        List<EventExecutor> loops = new ArrayList<>();
        vertx.nettyEventLoopGroup().forEach(loops::add);
        if (vertx instanceof VertxInternal internal) {
            internal.getAcceptorEventLoopGroup().forEach(loops::add);
        }
        List<Uni<String>> probes = new ArrayList<>();
        for (EventExecutor loop : loops) {
            probes.add(probe(loop));
        }
        return Uni.join().all(probes).andFailFast().map(results -> {
            List<String> problems = new ArrayList<>();
            results.stream().filter(r -> r != null).forEach(problems::add);
            problems.addAll(ingestion.stoppedThreads());
            var response = HealthCheckResponse.named("runtime")
                    .status(problems.isEmpty())
                    .withData("eventLoops", loops.size());
            if (!problems.isEmpty()) {
                response.withData("problems", String.join("; ", problems));
            }
            return response.build();
        });
    }

    /** Null when the loop ran a no-op in time, otherwise what is wrong with it. */
    private static Uni<String> probe(EventExecutor loop) {
        return Uni.createFrom()
                .<String>emitter(em -> {
                    try {
                        loop.execute(() -> em.complete(null));
                    } catch (RejectedExecutionException e) {
                        em.complete("an event loop stopped (" + e.getMessage() + ")");
                    }
                })
                .ifNoItem()
                .after(ANSWER)
                .recoverWithItem("an event loop did not answer within " + ANSWER.toSeconds() + " s");
    }
}
