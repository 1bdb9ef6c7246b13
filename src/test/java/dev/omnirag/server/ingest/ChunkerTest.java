package dev.omnirag.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkerTest {

    /** Whitespace words as tokens: enough to check the chunking rules exactly. */
    private static int words(String s) {
        return s.isBlank() ? 0 : s.trim().split("\\s+").length;
    }

    @Test
    void chunksAreExactPageSubstringsAtSentenceBoundaries() {
        String page = "First sentence is here. Second one follows it.\nThird sentence ends the page.";
        List<Chunker.Chunk> chunks = new Chunker(ChunkerTest::words, 16, 0).chunk(3, page);
        for (Chunker.Chunk c : chunks) {
            assertThat(page.substring(c.charStart(), c.charEnd())).isEqualTo(c.text());
            assertThat(c.page()).isEqualTo(3);
        }
        assertThat(chunks).hasSize(1);
        assertThat(chunks.getFirst().text()).startsWith("First").endsWith("page.");
    }

    @Test
    void chunksNeverEndAfterATitleOrInsideAListItem() {
        StringBuilder page = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            page.append("Project lead of unit ")
                    .append(i)
                    .append(": Dr. Lena Ortiz, per Fig. 3 of the U.S. plan.\n")
                    .append(i % 9 + 1)
                    .append(". Budget grew 3.5 times in v1.2 this year.\n");
        }
        List<Chunker.Chunk> chunks = new Chunker(ChunkerTest::words, 16, 0).chunk(1, page.toString());
        assertThat(chunks).hasSizeGreaterThan(10).allSatisfy(c -> {
            assertThat(c.text())
                    .doesNotEndWith("Dr.")
                    .doesNotEndWith("Fig.")
                    .doesNotEndWith("U.S.")
                    .doesNotStartWith("Lena")
                    .doesNotStartWith("Budget")
                    .doesNotEndWith("3.");
            assertThat(c.text()).matches("(?s)(Project lead|\\d\\. Budget).*");
        });
    }

    @Test
    void consecutiveChunksOverlapBySentences() {
        StringBuilder page = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            page.append("Sentence number ").append(i).append(" has six words. ");
        }
        List<Chunker.Chunk> chunks = new Chunker(ChunkerTest::words, 30, 10).chunk(1, page.toString());
        assertThat(chunks.size()).isGreaterThan(5);
        for (int i = 1; i < chunks.size(); i++) {
            assertThat(chunks.get(i).charStart()).isLessThan(chunks.get(i - 1).charEnd());
            assertThat(chunks.get(i).charStart())
                    .isGreaterThan(chunks.get(i - 1).charStart());
        }
        assertThat(chunks.getLast().charEnd())
                .isEqualTo(page.toString().stripTrailing().length());
    }

    @Test
    void randomPagesAreCoveredWithinTheTokenBudget() {
        long seed = Long.getLong("tests.seed", new Random().nextLong());
        System.out.println("ChunkerTest seed=" + seed);
        Random random = new Random(seed);
        for (int round = 0; round < 50; round++) {
            StringBuilder page = new StringBuilder();
            int sentences = 1 + random.nextInt(60);
            for (int s = 0; s < sentences; s++) {
                int n = 1 + random.nextInt(random.nextInt(10) == 0 ? 120 : 25);
                for (int w = 0; w < n; w++) {
                    page.append("w").append(random.nextInt(1000)).append(random.nextBoolean() ? " " : "\n");
                }
                page.append(". ");
            }
            String text = page.toString();
            int target = 20 + random.nextInt(60);
            List<Chunker.Chunk> chunks =
                    new Chunker(ChunkerTest::words, target, random.nextInt(target / 2)).chunk(1, text);
            int covered = 0;
            int previousStart = -1;
            for (Chunker.Chunk c : chunks) {
                assertThat(text.substring(c.charStart(), c.charEnd()))
                        .as("seed %d", seed)
                        .isEqualTo(c.text());
                assertThat(words(c.text())).as("seed %d", seed).isLessThanOrEqualTo(target + 1);
                assertThat(c.charStart())
                        .as("seed %d: chunks must advance", seed)
                        .isGreaterThan(previousStart);
                assertThat(c.charStart())
                        .as("seed %d: no gap between chunks", seed)
                        .isLessThanOrEqualTo(covered == 0 ? c.charStart() : nextNonSpace(text, covered));
                previousStart = c.charStart();
                covered = Math.max(covered, c.charEnd());
            }
            assertThat(covered)
                    .as("seed %d", seed)
                    .isEqualTo(text.stripTrailing().length());
        }
    }

    private static int nextNonSpace(String text, int from) {
        while (from < text.length() && Character.isWhitespace(text.charAt(from))) {
            from++;
        }
        return from;
    }

    @Test
    void rejectsInvalidSizesNamingThem() {
        assertThatThrownBy(() -> new Chunker(ChunkerTest::words, 8, 0))
                .hasMessage("chunkTokens must be in 16..8192; chunkTokens=8");
        assertThatThrownBy(() -> new Chunker(ChunkerTest::words, 100, 100))
                .hasMessage("chunkOverlapTokens must be in 0..99; chunkOverlapTokens=100");
    }
}
