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

    /** Longest accepted query, in characters. */
    @WithDefault("4000")
    int maxQueryLength();

    /** Chunks an answer is built from when an ask gives no k. */
    @WithDefault("5")
    int askK();

    /** Sentences the extractive generator puts in an answer. */
    @WithDefault("3")
    int answerSentences();
}
