package dev.omnirag.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Search and ask defaults. */
@ConfigMapping(prefix = "omnirag.search")
public interface SearchConfig {

    /** Results when a search gives no k. */
    @WithDefault("10")
    int defaultK();

    /** Largest k a search may ask for. */
    @WithDefault("100")
    int maxK();

    /** Weight of the vector list in weighted fusion (keyword gets 1 - weight). */
    @WithDefault("0.5")
    double vectorWeight();

    /**
     * How hybrid search merges its keyword and vector lists when a request does not say ({@code fusion}):
     * {@code WEIGHTED} (each list's scores min-max normalised, then {@code (1-w)·keyword + w·vector}) or {@code RRF}
     * (reciprocal ranks). Weighted scored higher on each of Cranfield, CACM and NPL (docs/evaluation.md).
     */
    @WithDefault("WEIGHTED")
    dev.omnirag.index.Fusion fusion();

    /**
     * The retrieval profile of searches, asks and chats that do not name one ({@code profile}): {@code FAST} (plain
     * hybrid) or {@code QUALITY} (two passes with vector feedback, and the companion embedder's list where a
     * collection has one: higher nDCG@10 on each collection of the evaluation pool at one more search and the query's
     * companion embedding; docs/evaluation.md).
     */
    @WithDefault("FAST")
    dev.omnirag.server.search.SearchProfile profile();

    /**
     * Weight of the vector side in the second pass of the {@code QUALITY} profile, 0..1 (its first pass, which finds
     * the feedback passages, uses {@code vector-weight}). Chosen on the evaluation pool (docs/evaluation.md).
     */
    @WithDefault(dev.omnirag.server.search.SearchProfile.QUALITY_VECTOR_WEIGHT)
    double qualityVectorWeight();

    /**
     * The part of the {@code QUALITY} profile's vector weight that goes to the companion list (the query embedded by
     * {@code omnirag.embedder.companion}) in collections that have one, in (0, 1]; the main text vectors get the rest.
     */
    @WithDefault(dev.omnirag.server.search.SearchProfile.COMPANION_SHARE)
    double companionShare();

    /**
     * Pseudo-relevance feedback on the query vector for searches and asks that do not say ({@code feedback} in
     * the request): search once, move the query vector towards the mean vector of the top
     * {@code feedback-hits} results ({@code normalise(q + feedback-weight * mean)}), search again. Costs one
     * more search (the hits' vectors are read from the index; docs/evaluation.md).
     */
    @WithDefault("false")
    boolean feedback();

    /** First-pass results whose vectors move the query in feedback, 1..50. */
    @WithDefault("3")
    int feedbackHits();

    /** How far feedback moves the query vector, 0.0..5.0. */
    @WithDefault("0.5")
    double feedbackWeight();

    /** Longest accepted query, in characters. */
    @WithDefault("4000")
    int maxQueryLength();

    /** Chunks an answer is built from when an ask gives no k. */
    @WithDefault("5")
    int askK();

    /** Sentences the extractive generator puts in an answer. */
    @WithDefault("3")
    int answerSentences();

    /**
     * Earlier questions of a conversation that retrieval for a follow-up also uses (the newest ones; 0: each question
     * is searched alone). Their words join the keyword query and their embeddings the query vector, with weight
     * {@code follow-up-decay} for the previous question, its square for the one before, and so on
     * ({@link dev.omnirag.server.search.FollowUps}; measured in docs/evaluation.md).
     */
    @WithDefault("3")
    int followUpTurns();

    /** Weight of the previous question in follow-up retrieval (see {@code follow-up-turns}), in (0, 1]. */
    @WithDefault("0.5")
    double followUpDecay();
}
