package dev.omnirag.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Signed links: the citation links of chat answers open the cited document's original file and page images
 * without an API key, for a limited time, and nothing else.
 */
@ConfigMapping(prefix = "omnirag.links")
public interface LinksConfig {

    /**
     * The secret links are signed with (at least 32 characters). Unset: a random key generated on first start
     * under {@code <home>/link-signing.key} (owner-only). Changing it, or deleting the generated file and
     * restarting, revokes every link handed out before.
     */
    Optional<String> key();

    /** How long a link opens its document after the answer that holds it was written. */
    @WithDefault("P1D")
    Duration ttl();
}
