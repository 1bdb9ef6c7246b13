package dev.omnirag.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

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
}
