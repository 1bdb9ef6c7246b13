package dev.omnirag.server.api;

import dev.omnirag.server.ingest.DocumentParser;
import dev.omnirag.server.search.AskService;
import dev.omnirag.server.search.EmbeddingSpaces;
import dev.omnirag.server.search.Rerankers;
import dev.omnirag.server.search.SearchProfile;
import dev.omnirag.server.security.Access;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /v1/capabilities}: what this server can do as configured, so clients (the web UI's upload hint, its
 * reranker choice) never show a stale list: the file types ingestion reads, the modalities, the embedders, the
 * generator, the rerankers available and the search profiles. Any key.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class CapabilitiesResource {

    private final DocumentParser parser;
    private final EmbeddingSpaces spaces;
    private final AskService ask;
    private final Rerankers rerankers;
    private final Access access;

    CapabilitiesResource(
            DocumentParser parser, EmbeddingSpaces spaces, AskService ask, Rerankers rerankers, Access access) {
        this.parser = parser;
        this.spaces = spaces;
        this.ask = ask;
        this.rerankers = rerankers;
        this.access = access;
    }

    /**
     * @param fileTypes  the kinds of files ingestion reads, in words
     * @param modalities {@code text}, and {@code image} (OCR) and {@code audio} (speech) when configured
     * @param embedder   the text embedder's model; {@code multimodal} the image-and-text one, when configured
     * @param generator  where answers come from ({@code extractive} or {@code openai:<model>}, with its fallback)
     * @param rerankers  the {@code rerank} values this server accepts, {@code none} first
     * @param profiles   the search profiles
     */
    public record Capabilities(
            String fileTypes,
            List<String> modalities,
            String embedder,
            String multimodal,
            String generator,
            List<String> rerankers,
            List<String> profiles) {}

    @GET
    @Path("/capabilities")
    public Capabilities capabilities() {
        access.principal(); // any valid key
        List<String> available = rerankers.available();
        return new Capabilities(
                parser.supportedDescription(),
                parser.modalities(),
                spaces.text().spaceName(),
                spaces.multimodal().map(m -> m.spaceName()).orElse(null),
                ask.generatorName(),
                available,
                Arrays.stream(SearchProfile.values())
                        .map(p -> p.name().toLowerCase(Locale.ROOT))
                        .toList());
    }
}
