package dev.omnirag.server.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST /v2/rerank}, Cohere's v2 route (its v2 client calls nothing else): the request and answer of
 * {@link RerankResource}, with {@code meta.api_version} 2. A class of its own because JAX-RS picks the resource
 * class by its path before the method.
 */
@Path("/v2")
public class RerankV2Resource {

    private final RerankResource v1;

    RerankV2Resource(RerankResource v1) {
        this.v1 = v1;
    }

    @POST
    @Path("/rerank")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public RerankResource.RerankResponse rerank(RerankResource.RerankBody body) {
        return v1.rerank(body, "2");
    }
}
