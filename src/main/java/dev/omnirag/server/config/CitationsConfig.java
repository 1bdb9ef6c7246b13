package dev.omnirag.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Checking the citations of LLM answers against their sources (the extractive generator quotes verbatim, so its
 * citations are verified by construction).
 */
@ConfigMapping(prefix = "omnirag.citations")
public interface CitationsConfig {

    /** Remove citations the source does not support from the answer text (otherwise they stay, verified: false). */
    @WithDefault("false")
    boolean strict();

    /**
     * Least support ({@code 0.7 * cosine(claim, best source sentence) + 0.3 * lexical}) for a citation to be verified;
     * calibrated for bge-small-en-v1.5.
     */
    @WithDefault("0.76")
    double minSupport();

    /** Least share of the claim's content words that the source must contain. */
    @WithDefault("0.3")
    double minLexical();

    /** Whether every number in the claim must occur in the source. */
    @WithDefault("true")
    boolean checkNumbers();

    /** Source sentences embedded per claim (those sharing most words with it). */
    @WithDefault("4")
    int candidateSentences();
}
