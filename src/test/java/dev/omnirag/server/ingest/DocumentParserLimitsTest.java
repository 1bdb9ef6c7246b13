package dev.omnirag.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnirag.server.HostileFiles;
import dev.omnirag.server.TestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Type sniffing from bytes and the limits on what one file may expand to while it is parsed. */
class DocumentParserLimitsTest {

    private final DocumentParser parser = new DocumentParser(false);

    @Test
    void typeComesFromTheBytesNotTheFilename(@TempDir Path tmp) throws IOException {
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);
        Path random = Files.write(tmp.resolve("report.pdf"), junk);
        assertThat(parser.detect(random, "report.pdf")).isEqualTo("application/octet-stream");
        assertThat(parser.supports(parser.detect(random, "report.pdf"))).isFalse();

        Path pdf = Files.copy(TestSupport.shared("media/pdf/tracemonkey.pdf"), tmp.resolve("notes.txt"));
        assertThat(parser.detect(pdf, "notes.txt")).isEqualTo("application/pdf");

        Path text = Files.writeString(tmp.resolve("picture.png"), "Plain words, whatever the name says.");
        assertThat(parser.detect(text, "picture.png")).isEqualTo("text/plain");
    }

    @Test
    void filenameRefinesTextTypesOnly(@TempDir Path tmp) throws IOException {
        Path md = Files.writeString(tmp.resolve("notes.md"), "# Title\n\nSome *markdown* text.");
        assertThat(parser.detect(md, "notes.md")).isEqualTo("text/markdown");
        Path csv = Files.writeString(tmp.resolve("table.csv"), "a,b\n1,2\n");
        assertThat(parser.detect(csv, "table.csv")).startsWith("text/");
    }

    @Test
    void textBeyondMaxTextCharsFailsWithTheLimit(@TempDir Path tmp) throws IOException {
        Path text = Files.writeString(tmp.resolve("long.txt"), "All work and no play. ".repeat(1000));
        DocumentParser small = new DocumentParser(false, null, new DocumentParser.Limits(5000, 100, 100));
        assertThatThrownBy(() -> small.parse(text, "text/plain"))
                .isInstanceOf(IngestException.BadFile.class)
                .hasMessageContaining("more than 5000 characters")
                .hasMessageContaining("omnirag.ingest.max-text-chars");
        assertThat(parser.parse(text, "text/plain").hasText()).isTrue();
    }

    @Test
    void pagesBeyondMaxPagesFailWithTheLimit() {
        DocumentParser small = new DocumentParser(false, null, new DocumentParser.Limits(1_000_000, 5, 100));
        assertThatThrownBy(() -> small.parse(TestSupport.shared("media/pdf/tracemonkey.pdf"), "application/pdf"))
                .isInstanceOf(IngestException.BadFile.class)
                .hasMessageContaining("more than 5 pages")
                .hasMessageContaining("omnirag.ingest.max-pages");
    }

    @Test
    void docxZipBombFailsAsZipBomb(@TempDir Path tmp) throws IOException {
        Path bomb = HostileFiles.docxBomb(tmp, 300).file();
        assertThat(Files.size(bomb)).isLessThan(1_000_000);
        String type = parser.detect(bomb, "bomb.docx");
        assertThat(type).isEqualTo("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        assertThatThrownBy(() -> parser.parse(bomb, type))
                .isInstanceOf(IngestException.BadFile.class)
                .hasMessageContaining("zip bomb")
                .hasMessageContaining("inflates more than 100 times")
                .hasMessageContaining("omnirag.ingest.max-compression-ratio");
    }

    @Test
    void smallDocxIsStillRead(@TempDir Path tmp) throws IOException {
        Path docx = HostileFiles.docxBomb(tmp, 0).file();
        ParsedDocument doc = parser.parse(docx, parser.detect(docx, "small.docx"));
        assertThat(doc.pages().getFirst().text().strip()).isEqualTo("bomb");
    }

    @Test
    void odtZipBombFailsAsZipBomb(@TempDir Path tmp) throws IOException {
        Path bomb = HostileFiles.odtBomb(tmp, 300).file();
        String type = parser.detect(bomb, "bomb.odt");
        assertThat(type).isEqualTo("application/vnd.oasis.opendocument.text");
        assertThatThrownBy(() -> parser.parse(bomb, type))
                .isInstanceOf(IngestException.BadFile.class)
                .hasMessageContaining("zip bomb")
                .hasMessageContaining("omnirag.ingest.max-compression-ratio");
    }

    @Test
    void deeplyNestedXmlFailsAndDeeplyNestedHtmlAndJsonAreReadFlat(@TempDir Path tmp) throws IOException {
        var nested = HostileFiles.deeplyNested(tmp, 100_000);
        Path html = nested.get(0).file();
        Path xml = nested.get(1).file();
        Path json = nested.get(2).file();
        // HTML parsing does not recurse: the text comes out, one page, without nesting bombs.
        ParsedDocument doc = parser.parse(html, parser.detect(html, "nested.html"));
        assertThat(doc.pages()).hasSize(1);
        assertThat(doc.pages().getFirst().text().strip()).isEqualTo("deep");
        String xmlType = parser.detect(xml, "nested.xml");
        assertThatThrownBy(() -> parser.parse(xml, xmlType))
                .isInstanceOf(IngestException.BadFile.class)
                .hasMessageContaining("depth");
        // JSON is read as the text it is, not parsed: its nesting is characters.
        String jsonType = parser.detect(json, "nested.json");
        assertThat(parser.supports(jsonType)).isTrue();
        assertThat(parser.parse(json, jsonType).pages().getFirst().text().strip())
                .startsWith("{\"a\":{\"a\":");
    }
}
