package dev.omnirag.server.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetrievalMetricsTest {

    private final Map<String, Integer> judged = Map.of("a", 4, "b", 2, "c", 0);

    @Test
    void perfectRankingHasNdcgOne() {
        assertThat(RetrievalMetrics.ndcg(List.of("a", "b", "x"), judged, 10)).isCloseTo(1.0, offset(1e-9));
    }

    @Test
    void ndcgDiscountsByLogRank() {
        // DCG = 2/log2(2) + 4/log2(3); IDCG = 4/log2(2) + 2/log2(3)
        double expected = (2 + 4 / (Math.log(3) / Math.log(2))) / (4 + 2 / (Math.log(3) / Math.log(2)));
        assertThat(RetrievalMetrics.ndcg(List.of("b", "a"), judged, 10)).isCloseTo(expected, offset(1e-9));
        assertThat(RetrievalMetrics.ndcg(List.of("x", "y"), judged, 10)).isZero();
    }

    @Test
    void recallAndReciprocalRankCountOnlyRelevantDocuments() {
        assertThat(RetrievalMetrics.recall(List.of("c", "b"), judged, 100)).isCloseTo(0.5, offset(1e-9));
        assertThat(RetrievalMetrics.reciprocalRank(List.of("c", "x", "b"), judged, 10))
                .isCloseTo(1.0 / 3, offset(1e-9));
        assertThat(RetrievalMetrics.reciprocalRank(List.of("c", "x", "b"), judged, 2))
                .isZero();
    }
}
