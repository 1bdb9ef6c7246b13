package dev.omnirag.server.config;

import dev.omnirag.index.VectorQuantization;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The per-collection index: Lucene on local disk (default) or PostgreSQL with pgvector. */
@ConfigMapping(prefix = "omnirag.index")
public interface IndexConfig {

    /** Where chunks are indexed. */
    enum Backend {
        LUCENE,
        PGVECTOR
    }

    /**
     * LUCENE: one index per collection under {@code <home>/indexes} (one machine). PGVECTOR: one table per
     * collection in PostgreSQL with the {@code vector} extension, shared by every replica.
     */
    @WithDefault("LUCENE")
    Backend backend();

    /** Settings of the pgvector backend. */
    Pgvector pgvector();

    /** The pgvector backend. */
    interface Pgvector {
        /**
         * JDBC URL of the PostgreSQL holding the vectors, when it is not the metadata database, e.g.
         * {@code jdbc:postgresql://vectors:5432/omnirag}. Default: the metadata database (pooled).
         */
        java.util.Optional<String> url();

        /** User for {@code url}. */
        java.util.Optional<String> username();

        /** Password for {@code url}. */
        java.util.Optional<String> password();

        /** Vector column type: VECTOR (float32) or HALFVEC (float16, half the size, up to 4000 dimensions). */
        @WithDefault("VECTOR")
        dev.omnirag.index.VectorStorage storage();

        /** HNSW ef_construction of new tables (pgvector's default is 64). */
        @WithDefault("64")
        int efConstruction();

        /** PostgreSQL text search configuration for keyword search, e.g. english, simple, german. */
        @WithDefault("english")
        String textSearchConfig();

        /**
         * Rows the keyword list scores at most: when the rows holding any query word are more, only those holding the
         * rarest words (while their rows stay within this many) are scored, by every query word. 0 scores every row
         * that holds any query word (exact BM25 at any size, seconds a search at a million chunks).
         */
        @WithDefault("20000")
        int keywordCandidates();

        /**
         * Most connections the pool to {@code url} holds (searches and writes of all collections share it); unused
         * with the metadata database, whose pool is {@code quarkus.datasource.jdbc.max-size}.
         */
        @WithDefault("16")
        int maxConnections();
    }

    /** Vector storage: NONE (float32) or INT8 (scalar quantised, ~4x smaller). Applies to new collections. */
    @WithDefault("NONE")
    VectorQuantization quantization();

    /** HNSW graph degree (max connections per node); pgvector's m. */
    @WithDefault("16")
    int hnswM();

    /** HNSW beam width while building (ef_construction). */
    @WithDefault("100")
    int hnswBeamWidth();

    /** HNSW candidates explored per query (ef_search, hnsw.ef_search for pgvector); at least k. */
    @WithDefault("100")
    int efSearch();

    /**
     * Hits each retriever contributes to hybrid fusion (at least the request's k). 300: min-max fusion of 300-deep
     * lists beats 100-deep ones on the evaluation pool (docs/evaluation.md).
     */
    @WithDefault("300")
    int hybridCandidates();

    /** The k constant of reciprocal rank fusion. */
    @WithDefault("60")
    int rrfK();
}
