package dev.omnirag.server.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import org.junit.jupiter.api.Test;

class FollowUpsTest {

    @Test
    void theNewestEarlierQuestionsWeighLessTheFurtherBackTheyAre() {
        List<FollowUps.Weighted> w = new FollowUps(2, 0.5).weighted(List.of("first", "second", " ", "third"));

        assertThat(w).containsExactly(new FollowUps.Weighted("third", 0.5), new FollowUps.Weighted("second", 0.25));
        assertThat(FollowUps.NONE.weighted(List.of("a", "b"))).isEmpty();
    }

    @Test
    void theBlendedVectorIsTheNormalisedWeightedSum() {
        float[] q = {1, 0};
        float[] blended =
                FollowUps.blend(q, List.of(new FollowUps.Weighted("earlier", 0.5)), List.of(new float[] {0, 1}));

        assertThat(blended[0]).isCloseTo((float) (1 / Math.sqrt(1.25)), offset(1e-6f));
        assertThat(blended[1]).isCloseTo((float) (0.5 / Math.sqrt(1.25)), offset(1e-6f));
        assertThat(FollowUps.blend(q, List.of(), List.of())).isSameAs(q);
    }

    @Test
    void settingsOutOfRangeNameTheKey() {
        assertThatThrownBy(() -> new FollowUps(-1, 0.5))
                .hasMessage("omnirag.search.follow-up-turns must be in 0..20; follow-up-turns=-1");
        assertThatThrownBy(() -> new FollowUps(3, 0))
                .hasMessage("omnirag.search.follow-up-decay must be in (0, 1]; follow-up-decay=0.0");
    }
}
