package dev.omnirag.reranker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnirag.index.SearchHit;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Reranker} promises (its interface contract), checked the same way for each implementation:
 * at most k of the given hits and never another, best first by the reranker's own score, an empty list for no
 * hits, all of them when k exceeds them; and a request is validated before anything runs.
 */
abstract class RerankerContractTest {

    /** The reranker under test, ready to judge (its model or server started). */
    protected abstract Reranker reranker();

    /** Passages about wings and drag with some unrelated ones, so every reranker has something to tell apart. */
    static final List<SearchHit> HITS = Hits.of(
            "The cat sat on the mat. p=0.1",
            "Swept wing designs delay the drag rise at transonic speeds. p=0.9",
            "Flutter of the wing appears above a critical speed. p=0.7",
            "Recipes for bread need flour, water and salt. p=0.2",
            "Drag of the wing grows with the angle of attack. p=0.8");

    static final String QUERY = "How does wing drag change with speed?";

    @Test
    void returnsAtMostKOfTheGivenHitsBestFirst() {
        Reranking r = reranker().rerank(new RerankRequest(QUERY, HITS, 3));
        assertThat(r.hits()).hasSizeLessThanOrEqualTo(3).isNotEmpty();
        assertThat(new HashSet<>(Hits.ids(HITS))).containsAll(Hits.ids(r.hits()));
        assertThat(Hits.ids(r.hits())).doesNotHaveDuplicates();
        if (r.applied()) {
            for (int i = 1; i < r.hits().size(); i++) {
                assertThat(r.hits().get(i).score())
                        .as("score %d", i)
                        .isLessThanOrEqualTo(r.hits().get(i - 1).score());
            }
        }
    }

    @Test
    void aKLargerThanTheHitsReturnsThemAll() {
        Reranking r = reranker().rerank(new RerankRequest(QUERY, HITS, 50));
        assertThat(Hits.ids(r.hits())).containsExactlyInAnyOrderElementsOf(Hits.ids(HITS));
    }

    @Test
    void noHitsGiveAnEmptyRanking() {
        Reranking r = reranker().rerank(new RerankRequest(QUERY, List.of(), 5));
        assertThat(r.hits()).isEmpty();
        assertThat(r.applied()).isTrue();
    }

    @Test
    void aBlankQueryOrABadKIsRefusedNamingTheField() {
        assertThatThrownBy(() -> new RerankRequest(" ", HITS, 3)).hasMessageContaining("query");
        assertThatThrownBy(() -> new RerankRequest(QUERY, HITS, 0)).hasMessageContaining("k");
    }
}
