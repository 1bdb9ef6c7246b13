package dev.omnirag.reranker;

/**
 * Reorders first-stage hits for a query.
 *
 * <p>Contract:
 * <ul>
 *   <li>Returns at most {@code request.k()} of the given hits (never new ones), best first, each with the
 *       reranker's score in place of the first-stage score; scores are comparable only within one call.</li>
 *   <li>When the reranker cannot judge (a remote model is down, a deadline passes) it does not fail: it returns
 *       the input order truncated to {@code k}, with the first-stage scores, {@link Reranking#applied()} false
 *       and the reason.</li>
 *   <li>Failures of its own parts (a broken local embedder) throw {@link RerankException}.</li>
 *   <li>Thread safe; blocking and possibly slow (embeds or calls a model), so never on an event loop.</li>
 * </ul>
 */
public interface Reranker {

    /** Short name used in configuration and responses, e.g. {@code local}, {@code mllm}. */
    String name();

    /** The hits reordered for the query, at most k of them; see the interface contract. */
    Reranking rerank(RerankRequest request);
}
