package dev.omnirag.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Page images rendered from PDFs for clients (the web UI's source panel). */
@ConfigMapping(prefix = "omnirag.pages")
public interface PagesConfig {

    /** Resolution of rendered page images; 144 dpi gives a US-letter page 1224 px wide. */
    @WithDefault("144")
    int dpi();

    /** Longest side of a rendered page image in pixels; pages larger than that are rendered at a lower dpi. */
    @WithDefault("3000")
    int maxPixels();
}
