package dev.omnirag.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Score-based fusion keeps what the better list knows where rank fusion loses it: a synthetic case built to trap
 * RRF. The keyword list finds both relevant chunks far ahead of the rest; the vector list is unsure (everything
 * between 0.4 and 0.8, a wrong chunk first). RRF, which sees only ranks, puts a wrong chunk second; min-max fusion
 * keeps both relevant chunks on top, as the keyword list alone does.
 */
class HybridFusionTest {

    private static final Set<String> RELEVANT = Set.of("r1", "r2");

    private static final List<HybridFusion.Scored> KEYWORD =
            List.of(scored("r1", 10), scored("r2", 9.8), scored("x1", 1.2), scored("x2", 1.1), scored("x3", 1.0));
    private static final List<HybridFusion.Scored> VECTOR =
            List.of(scored("x1", 0.80), scored("r1", 0.79), scored("x2", 0.78), scored("r2", 0.50), scored("x3", 0.40));

    @Test
    void minMaxFusionIsNotBelowTheBetterListWhereRrfIs() {
        double keyword = relevantInTop2(KEYWORD);
        double vector = relevantInTop2(VECTOR);
        double rrf = relevantInTop2(HybridFusion.fuse(KEYWORD, VECTOR, Fusion.RRF, 0.5, 60, 5));
        double minMax = relevantInTop2(HybridFusion.fuse(KEYWORD, VECTOR, Fusion.WEIGHTED, 0.5, 60, 5));
        assertThat(keyword).isEqualTo(1.0);
        assertThat(vector).isEqualTo(0.5);
        assertThat(rrf).as("the trap works: RRF falls below the better list").isLessThan(Math.max(keyword, vector));
        assertThat(minMax).as("min-max fusion").isGreaterThanOrEqualTo(Math.max(keyword, vector));
    }

    @Test
    void theCompanionListGetsItsShareOfTheVectorWeightAndTheOtherVectorListsTheRest() {
        List<HybridFusion.Scored> keyword = List.of(scored("a", 4), scored("b", 2), scored("c", 0));
        List<HybridFusion.Scored> text = List.of(scored("b", 0.9), scored("c", 0.5), scored("a", 0.1));
        List<HybridFusion.Scored> companion = List.of(scored("c", 0.8), scored("a", 0.7), scored("b", 0.6));

        List<HybridFusion.Scored> fused =
                HybridFusion.fuseAll(keyword, List.of(text), companion, 0.25, Fusion.WEIGHTED, 0.6, 60, 3);

        // keyword 0.4, text vector 0.6 * 0.75 = 0.45, companion 0.6 * 0.25 = 0.15, each list min-max normalised.
        assertThat(fused).extracting(HybridFusion.Scored::chunkId).containsExactly("b", "a", "c");
        assertThat(fused.get(0).score()).isCloseTo(0.4 * 0.5 + 0.45 * 1 + 0.15 * 0, within(1e-9));
        assertThat(fused.get(1).score()).isCloseTo(0.4 * 1 + 0.45 * 0 + 0.15 * 0.5, within(1e-9));
        assertThat(fused.get(2).score()).isCloseTo(0.4 * 0 + 0.45 * 0.5 + 0.15 * 1, within(1e-9));
        // Without a companion list the text vector list has the whole vector weight, as before.
        assertThat(HybridFusion.fuseAll(keyword, List.of(text), null, 0.25, Fusion.WEIGHTED, 0.6, 60, 3)
                        .get(0)
                        .score())
                .isCloseTo(0.4 * 0.5 + 0.6 * 1, within(1e-9));
        // RRF counts the companion as one more list.
        assertThat(HybridFusion.fuseAll(keyword, List.of(text), companion, 0.25, Fusion.RRF, 0.6, 60, 3)
                        .get(0)
                        .score())
                .isCloseTo(1.0 / 62 + 1.0 / 61 + 1.0 / 63, within(1e-12));
    }

    /** Share of the top two that are relevant. */
    private static double relevantInTop2(List<HybridFusion.Scored> ranked) {
        return ranked.stream()
                        .limit(2)
                        .filter(s -> RELEVANT.contains(s.chunkId()))
                        .count()
                / 2.0;
    }

    private static HybridFusion.Scored scored(String id, double score) {
        return new HybridFusion.Scored(id, score);
    }
}
