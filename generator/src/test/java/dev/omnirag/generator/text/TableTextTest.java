package dev.omnirag.generator.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableTextTest {

    @Test
    void rowsAreLinesOfCellsUnderTheirHeader() {
        String text = TableText.render(
                List.of(
                        List.of("Region", " Revenue ", "Growth"),
                        List.of("North", "12.5", "3%"),
                        List.of("South", "9.1\n(est.)", "2%", ""),
                        List.of("", "", "")),
                1000);
        assertThat(text).isEqualTo("Region | Revenue | Growth\nNorth | 12.5 | 3%\nSouth | 9.1 (est.) | 2%");
    }

    @Test
    void theHeaderIsRepeatedBeforeEachGroupOfRows() {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("Engine", "Throughput"));
        for (int i = 0; i < 10; i++) {
            rows.add(List.of("engine" + i, i + " GB/s"));
        }
        String text = TableText.render(rows, 60);
        String[] groups = text.split("\n\n");
        assertThat(groups).hasSizeGreaterThan(2).allSatisfy(g -> assertThat(g).startsWith("Engine | Throughput\n"));
        assertThat(text).contains("engine0 | 0 GB/s", "engine9 | 9 GB/s");
        assertThat(TableText.headerOf(text, text.indexOf("engine9"))).hasValue("Engine | Throughput");
        assertThat(TableText.headerOf(text, 0)).isEmpty();
    }

    @Test
    void aOneColumnTableIsPlainLines() {
        assertThat(TableText.render(List.of(List.of("Menu"), List.of("Home"), List.of("About us")), 100))
                .isEqualTo("Menu\nHome\nAbout us");
    }

    @Test
    void pipesInCellsDoNotMakeNewCells() {
        assertThat(TableText.render(List.of(List.of("a|b", "c"), List.of("d", "e")), 100))
                .isEqualTo("a/b | c\nd | e");
    }

    @Test
    void aRowReadsWithItsHeaderNames() {
        assertThat(TableText.labelled("Region | Revenue | Growth", "North | 12.5 | 3%"))
                .isEqualTo("Region: North; Revenue: 12.5; Growth: 3%");
        assertThat(TableText.labelled("Region | | Growth", "North | 12.5 | 3% | extra"))
                .isEqualTo("Region: North; 12.5; Growth: 3%; extra");
    }

    @Test
    void markdownTablesAreWrittenAsTables() {
        String md =
                "# Results\nSome text.\n\n| Engine | Throughput |\n|---|:---:|\n| V8 | 10 GB/s |\n| Spider\\|Monkey | 12 GB/s |\n\nAfter.";
        assertThat(TableText.fromMarkdown(md, 1000))
                .isEqualTo(
                        "# Results\nSome text.\n\nEngine | Throughput\nV8 | 10 GB/s\nSpider/Monkey | 12 GB/s\n\nAfter.");
        assertThat(TableText.fromMarkdown("no table | here\n---", 1000)).isEqualTo("no table | here\n---");
    }

    @Test
    void rowsAreRecognisedByPipesOrTabs() {
        assertThat(TableText.isRow("a | b | c")).isTrue();
        assertThat(TableText.isRow("a\tb")).isTrue();
        assertThat(TableText.isRow("\tindented code")).isFalse();
        assertThat(TableText.isRow("two | cells")).isTrue();
        assertThat(TableText.isRow("either|or")).isFalse();
        assertThat(TableText.isRow("a | b |\nc")).isFalse();
    }

    @Test
    void rejectsANonPositiveGroupSize() {
        assertThatThrownBy(() -> TableText.render(List.of(), 0))
                .hasMessage("groupChars must be at least 1; groupChars=0");
    }
}
