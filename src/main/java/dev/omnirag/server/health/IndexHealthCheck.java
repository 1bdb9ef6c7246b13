package dev.omnirag.server.health;

import dev.omnirag.server.search.CollectionIndexes;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the index directory under the data directory can be written. */
@Readiness
@ApplicationScoped
public class IndexHealthCheck implements HealthCheck {

    private final CollectionIndexes indexes;

    IndexHealthCheck(CollectionIndexes indexes) {
        this.indexes = indexes;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("index")
                .status(indexes.writable())
                .withData("openIndexes", indexes.openCount())
                .build();
    }
}
