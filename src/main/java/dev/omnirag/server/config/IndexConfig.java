package dev.omnirag.server.config;

import dev.omnirag.index.VectorQuantization;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The per-collection Lucene index (BM25 text field + HNSW vector field). */
@ConfigMapping(prefix = "omnirag.index")
public interface IndexConfig {

    /** Vector storage: NONE (float32) or INT8 (scalar quantised, ~4x smaller). Applies to new collections. */
    @WithDefault("NONE")
    VectorQuantization quantization();

    /** HNSW graph degree (max connections per node). */
    @WithDefault("16")
    int hnswM();

    /** HNSW beam width while building (ef_construction). */
    @WithDefault("100")
    int hnswBeamWidth();

    /** HNSW candidates explored per query (ef_search); at least k. */
    @WithDefault("100")
    int efSearch();

    /** Hits each retriever contributes to hybrid fusion. */
    @WithDefault("100")
    int hybridCandidates();

    /** The k constant of reciprocal rank fusion. */
    @WithDefault("60")
    int rrfK();
}
