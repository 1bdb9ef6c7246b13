package dev.omnirag.server.api;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Bounds what parsing one request body may build, whatever its byte size: at most {@link #MAX_TOKENS} JSON tokens
 * (a 300 KB body of {@code [{},{},...]} would otherwise become 100k objects, thirty times its size in heap) and
 * {@link #MAX_DEPTH} levels of nesting; bytes are bounded by {@link BodySizeInterceptor}, so strings need no bound
 * of their own. A body over a bound gets 400 naming it. The largest legitimate bodies (2048 embedding inputs, a long
 * chat, a query vector) use a few thousand tokens. Applied to the application's ObjectMapper, which is built before
 * runtime configuration exists: the bounds are constants.
 */
@Singleton
public class JsonLimits implements ObjectMapperCustomizer {

    /** Tokens one request body may hold. */
    public static final int MAX_TOKENS = 100_000;
    /** Nesting depth one request body may reach. */
    public static final int MAX_DEPTH = 64;

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxTokenCount(MAX_TOKENS)
                        .maxNestingDepth(MAX_DEPTH)
                        .maxStringLength(Integer.MAX_VALUE)
                        .build());
    }
}
