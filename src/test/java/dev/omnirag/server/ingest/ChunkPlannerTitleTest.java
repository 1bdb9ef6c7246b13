package dev.omnirag.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkPlannerTitleTest {

    @Test
    void aDocumentsShortFirstLineIsItsTitleAndALongOneIsProse() {
        assertThat(ChunkPlanner.title("\n  \n Experimental investigation of the aerodynamics of a  wing \nbody text"))
                .as("its spacing kept, so the chunk holding it is recognised")
                .isEqualTo("Experimental investigation of the aerodynamics of a  wing");
        assertThat(ChunkPlanner.title("12\nTrace-based Just-in-Time Type Specialization\n"))
                .isEqualTo("Trace-based Just-in-Time Type Specialization");
        String prose = "The wind tunnel measurements were repeated at three angles of attack because the first series"
                + " showed a drag rise that none of the models predicted at that speed.";
        assertThat(ChunkPlanner.title(prose + "\nMore.")).isNull();
    }

    @Test
    void aChunkWithoutTheTitleIsEmbeddedUnderItAndTheChunkHoldingItIsNot() {
        String title = "Flutter of swept wings";
        assertThat(ChunkPlanner.embedded(title, "The drag rise was measured at three angles."))
                .isEqualTo("Flutter of swept wings\n\nThe drag rise was measured at three angles.");
        assertThat(ChunkPlanner.embedded(title, "Flutter of swept wings\nAn experimental study."))
                .isEqualTo("Flutter of swept wings\nAn experimental study.");
        assertThat(ChunkPlanner.embedded(null, "Text.")).isEqualTo("Text.");
    }

    @Test
    void recordingsPicturesSpreadsheetsAndAContentsHeadingAreNoTitle() {
        var page = new ParsedDocument.Page(1, "so we met at the station");
        assertThat(ChunkPlanner.title(
                        new ParsedDocument(List.of(page), false, ParsedDocument.Kind.AUDIO, List.of(), null)))
                .isNull();
        assertThat(ChunkPlanner.title(new ParsedDocument(List.of(page), false))).isEqualTo("so we met at the station");
        var contents = new ParsedDocument.Page(1, "Table of Contents\nIntroduction ........ 1");
        assertThat(ChunkPlanner.title(new ParsedDocument(List.of(contents), true)))
                .isNull();
        var sheet = new ParsedDocument.Page(1, "Regions\nRegion | Revenue", List.of(), false, List.of(), "Regions");
        assertThat(ChunkPlanner.title(new ParsedDocument(List.of(sheet), true))).isNull();
    }

    @Test
    void aMetadataTitleTheFirstPageShowsIsTheTitleAndOneItDoesNotShowIsIgnored() {
        var page = new ParsedDocument.Page(
                1,
                "Working Papers on Information Systems ISSN 1535-6078\n\nOverview of the Technology Acceptance Model:"
                        + " Origins,\nDevelopments and Future Directions\n\nMohammad Chuttur\n");
        ParsedDocument paper = new ParsedDocument(List.of(page), true);

        // the series line comes first; the title property names the paper, over a line break
        assertThat(ChunkPlanner.title(paper.withTitle(
                        "Overview of the Technology  Acceptance Model: Origins, Developments and Future Directions")))
                .isEqualTo("Overview of the Technology Acceptance Model: Origins, Developments and Future Directions");
        // a file name, a template's title or a single word are not what the page shows: its first line is used
        for (String wrong : new String[] {"Microsoft Word - paper3.docx", "Annual report template", "paper3", null}) {
            assertThat(ChunkPlanner.title(paper.withTitle(wrong)))
                    .as(String.valueOf(wrong))
                    .isEqualTo("Working Papers on Information Systems ISSN 1535-6078");
        }
        // the chunk that holds the title across its line break is not embedded under it again
        String first = page.text().strip();
        assertThat(ChunkPlanner.embedded(
                        ChunkPlanner.title(paper.withTitle("overview of the technology acceptance"
                                + " model: origins, developments and future directions")),
                        first))
                .isEqualTo(first);
    }

    @Test
    void aMetadataTitleIsMatchedOnThePagesOwnCharacters() {
        // lower-casing "İ" makes two characters: the title is found on the page as written, whatever the case
        var page = new ParsedDocument.Page(1, "T.C. İSTANBUL ÜNİVERSİTESİ\nİklim Raporu\n\nGiriş metni burada.");
        assertThat(ChunkPlanner.title(new ParsedDocument(List.of(page), true).withTitle("İklim raporu")))
                .isEqualTo("İklim Raporu");
    }
}
