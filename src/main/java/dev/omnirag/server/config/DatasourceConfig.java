package dev.omnirag.server.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/**
 * The metadata database. With no URL the server runs its own PostgreSQL under {@code omnirag.home}. These
 * keys are read at bootstrap from system properties or environment variables
 * ({@code OMNIRAG_DATASOURCE_URL}, ...), because the database must be known before the application starts.
 */
@ConfigMapping(prefix = "omnirag.datasource")
public interface DatasourceConfig {

    /** External PostgreSQL, e.g. {@code postgresql://db:5432/omnirag} (a {@code jdbc:} prefix is accepted). */
    Optional<String> url();

    /** User for the external database. */
    Optional<String> username();

    /** Password for the external database. */
    Optional<String> password();
}
