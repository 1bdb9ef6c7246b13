package dev.omnirag.server.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnirag.server.TestSupport;
import dev.omnirag.server.ingest.DocumentParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParsingDevSetTest {

    @Test
    void everyQuestionNamesADocumentOfTheSetAndTheFileReadsBack(@TempDir Path dir) throws IOException {
        List<ParsingDevSet.Question> written = ParsingDevSet.write(dir, TestSupport.shared("media"));

        assertThat(ParsingDevSet.read(dir.resolve("questions.tsv"))).isEqualTo(written);
        assertThat(written)
                .hasSizeGreaterThan(10)
                .allSatisfy(q -> assertThat(dir.resolve(q.file())).isRegularFile())
                .allSatisfy(q -> assertThat(q.expected()).isNotEmpty());
        DocumentParser parser = new DocumentParser(false);
        for (String office : List.of("engines.docx", "regions.xlsx", "roadmap.pptx")) {
            assertThat(parser.detect(dir.resolve(office), office)).as(office).startsWith("application/vnd.");
        }
    }

    @Test
    void aQuestionLineWithoutFourFieldsIsRefusedNamingIt(@TempDir Path dir) throws IOException {
        Path tsv = Files.writeString(dir.resolve("q.tsv"), "a.pdf\t1\tword\n");
        assertThatThrownBy(() -> ParsingDevSet.read(tsv))
                .hasMessageContaining("needs 4 tab-separated fields")
                .hasMessageContaining("line=a.pdf");
    }
}
