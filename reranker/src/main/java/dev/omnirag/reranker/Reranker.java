package dev.omnirag.reranker;

import dev.omnirag.index.SearchHit;
import java.util.List;

/**
 * Reorders first-stage hits for a query.
 *
 * <p>Contract: returns at most {@code k} of the given hits (never new ones), best first, each with the
 * reranker's score in place of the first-stage score; scores are comparable only within one call. When the
 * reranker cannot judge (a remote model is down, a deadline passes) it returns the input order truncated to
 * {@code k} rather than failing. Thread safe; blocking.
 */
public interface Reranker {

    /** Short name used in configuration and responses, e.g. {@code none}, {@code local}, {@code mllm}. */
    String name();

    /** The hits reordered for the query, at most k of them. */
    List<SearchHit> rerank(String query, List<SearchHit> hits, int k);
}
