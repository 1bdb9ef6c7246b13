package dev.omnirag.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnirag.server.HostileFiles;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfficeSuperscriptsTest {

    private static final String W = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
            + " xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"";

    @Test
    void onlyTheBodysOwnSuperscriptRunsCountNotATextBoxsNorAnOldFormat() throws Exception {
        String xml = "<w:document " + W + "><w:body><w:p>"
                + "<w:r><w:t>as shown previously</w:t></w:r>"
                + "<w:r><w:rPr><w:vertAlign w:val=\"superscript\"/></w:rPr><w:t>12</w:t></w:r>"
                // a drawing with a text box, and its fallback copy: their paragraphs are not this run's
                + "<w:r><mc:AlternateContent><mc:Choice><w:drawing><w:txbxContent><w:p><w:r><w:t>box</w:t></w:r>"
                + "<w:r><w:rPr><w:vertAlign w:val=\"superscript\"/></w:rPr><w:t>3</w:t></w:r></w:p></w:txbxContent>"
                + "</w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>box</w:t></w:r></w:p>"
                + "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
                // a tracked change: the run was superscript before, it is not now
                + "<w:r><w:rPr><w:rPrChange><w:rPr><w:vertAlign w:val=\"superscript\"/></w:rPr></w:rPrChange></w:rPr>"
                + "<w:t>7</w:t></w:r>"
                + "<w:r><w:t> plots of 240 m</w:t></w:r>"
                + "<w:r><w:rPr><w:vertAlign w:val=\"superscript\"/></w:rPr><w:t>2</w:t></w:r>"
                + "</w:p></w:body></w:document>";

        var runs = OfficeSuperscripts.runs(
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
                "http://schemas.openxmlformats.org/wordprocessingml/2006/main");

        assertThat(runs)
                .containsExactly(
                        new Superscripts.Run("usly", "12", false, false), new Superscripts.Run("m", "2", true, false));
    }

    @Test
    void anOpenDocumentTextsRaisedDigitsAreSuperscriptsAndItsLoweredOnesStay(@TempDir Path tmp) throws Exception {
        String content = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""
                + " xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\""
                + " xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:automatic-styles>"
                + "<style:style style:name=\"T1\" style:family=\"text\">"
                + "<style:text-properties style:text-position=\"super 58%\"/></style:style>"
                + "<style:style style:name=\"T2\" style:family=\"text\">"
                + "<style:text-properties style:text-position=\"33% 58%\"/></style:style>"
                + "<style:style style:name=\"T3\" style:family=\"text\">"
                + "<style:text-properties style:text-position=\"sub 58%\"/></style:style>"
                + "</office:automatic-styles><office:body><office:text>"
                + "<text:p>Clover fixed the most nitrogen, as shown previously<text:span text:style-name=\"T1\">12"
                + "</text:span> in plots of 240<text:s/>m<text:span text:style-name=\"T2\">2</text:span>"
                + " watered with H<text:span text:style-name=\"T3\">2</text:span>O.</text:p>"
                + "</office:text></office:body></office:document-content>";
        Path odt = HostileFiles.openDocumentText(
                tmp.resolve("field.odt"), out -> out.write(content.getBytes(StandardCharsets.UTF_8)));

        assertThat(OfficeSuperscripts.openDocument(odt))
                .containsExactly(
                        new Superscripts.Run("usly", "12", false, false), new Superscripts.Run("m", "2", true, false));
        DocumentParser parser = new DocumentParser(false);
        String text = parser.parse(odt, parser.detect(odt, "field.odt"), "field.odt")
                .pages()
                .getFirst()
                .text();
        assertThat(text).contains("as shown previously¹² in plots of 240 m² watered with H2O.");
    }
}
