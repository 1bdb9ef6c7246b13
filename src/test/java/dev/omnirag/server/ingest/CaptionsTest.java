package dev.omnirag.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnirag.media.Subtitles;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptionsTest {

    @Test
    void aLongTurnSaysWhoSpeaksAgainAtASentenceEndAboutEveryTwentySeconds() {
        List<Subtitles.Cue> cues = new ArrayList<>();
        cues.add(new Subtitles.Cue(0, 4_000, "Ada Lovelace", "Welcome."));
        // Charles speaks for a minute, a cue every 6 s; every third cue ends a sentence.
        for (int i = 0; i < 10; i++) {
            long at = 5_000 + i * 6_000L;
            String text = i % 3 == 2 ? "and that was point " + i + "." : "Point " + i + " goes on";
            cues.add(new Subtitles.Cue(at, at + 5_500, "Charles Babbage", text));
        }
        ParsedDocument.Page page = Captions.page(new Subtitles(cues));

        List<String> paragraphs = List.of(page.text().split("\n\n"));
        assertThat(paragraphs)
                .containsExactly(
                        "Ada Lovelace: Welcome.",
                        "Charles Babbage: Point 0 goes on Point 1 goes on and that was point 2. Point 3 goes on"
                                + " Point 4 goes on and that was point 5.",
                        // 18 s after this paragraph began: it goes on
                        "Charles Babbage: Point 6 goes on Point 7 goes on and that was point 8. Point 9 goes on");
        // One span per cue, each over its cue's words, the name of a paragraph in its first cue's span.
        assertThat(page.spans()).hasSize(11);
        ParsedDocument.Span sixth = page.spans().get(7);
        assertThat(page.text().substring(sixth.charStart(), sixth.charEnd()))
                .isEqualTo("Charles Babbage: Point 6 goes on");
        assertThat(sixth.startMs()).isEqualTo(41_000L);
    }
}
