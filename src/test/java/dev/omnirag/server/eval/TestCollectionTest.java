package dev.omnirag.server.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three collection formats the evaluation reads, on tiny collections written here. */
class TestCollectionTest {

    @TempDir
    Path dir;

    @Test
    void smartKeepsTitleAndTextAndNumbersQueriesAsTheJudgementsDo() throws Exception {
        Files.writeString(
                dir.resolve("tiny.all"),
                ".I 1\n.T\nSorting Networks\n.W\nA note on merging.\n.B\nCACM 1970\n"
                        + ".A\nKnuth, D.\n.I 2\n.T\nTime sharing\n.X\n1\t5\t1\n");
        Files.writeString(
                dir.resolve("query.text"), ".I 1\n.W\n What about sorting?\n.A\nSomeone\n.I 2\n.W\nunjudged\n");
        Files.writeString(dir.resolve("qrels.text"), "01 1  0 0\n01 2  0 0\n");
        TestCollection c = TestCollection.read(dir, TestCollection.Format.SMART);
        assertThat(c.documents())
                .containsEntry("1", "Sorting Networks.\nA note on merging.")
                .containsEntry("2", "Time sharing");
        assertThat(c.queries()).containsEntry("1", "What about sorting?");
        assertThat(c.judgedQueries()).containsOnlyKeys("1");
        assertThat(c.judgements().get("1")).isEqualTo(Map.of("1", 1, "2", 1));
    }

    @Test
    void trecReadsDocNoAndTopicTitlesAndTheRelevanceColumn() throws Exception {
        Files.writeString(
                dir.resolve("doc-text.trec"),
                "<DOC>\n<DOCNO>7</DOCNO>\ncompact memories\n</DOC>\n"
                        + "<DOC>\n<DOCNO>8</DOCNO>\nanalogue computers\n</DOC>\n");
        Files.writeString(dir.resolve("query-text.trec"), "<top>\n<num>1</num><title>\nMEMORIES\n</title>\n</top>\n");
        Files.writeString(dir.resolve("qrels"), "1 0 7 1\n1 0 8 0\n");
        TestCollection c = TestCollection.read(dir, TestCollection.Format.TREC);
        assertThat(c.documents()).containsEntry("7", "compact memories").hasSize(2);
        assertThat(c.queries()).containsEntry("1", "MEMORIES");
        assertThat(c.judgements().get("1")).isEqualTo(Map.of("7", 1, "8", 0));
    }

    @Test
    void cranfieldNumbersQueriesByPositionAndGradesRelevance() throws Exception {
        Files.writeString(dir.resolve("cran.all.1400"), ".I 1\n.T\nwings\n.A\nx\n.B\ny\n.W\nswept wings delay drag\n");
        Files.writeString(dir.resolve("cran.qry"), ".I 001\n.W\nwhat delays drag\n.I 004\n.W\nsecond\n");
        Files.writeString(dir.resolve("cranqrel"), "1 1 1\n2 1 -1\n");
        TestCollection c = TestCollection.read(dir, TestCollection.Format.CRANFIELD);
        assertThat(c.queries()).containsOnlyKeys("1", "2");
        assertThat(c.judgements().get("1")).containsEntry("1", 4);
        assertThat(c.judgedQueries()).containsOnlyKeys("1");
    }
}
