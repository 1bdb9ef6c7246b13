package dev.omnirag.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnirag.server.TestBooks;
import dev.omnirag.server.TestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentParserTest {

    private final DocumentParser parser = new DocumentParser(false);

    @Test
    void aMeetingsCaptionsAreATimedTranscriptWithOneParagraphPerSpeakersTurn(@TempDir Path tmp) throws IOException {
        Path vtt = Files.writeString(tmp.resolve("standup.vtt"), """
                WEBVTT

                a-1/1-0
                00:00:03.120 --> 00:00:06.480
                <v Ada Lovelace>Good morning, let's start with the budget.</v>

                a-1/2-0
                00:00:06.900 --> 00:00:10.200
                <v Ada Lovelace>The quarterly review moves to Friday because finance</v>

                a-1/3-0
                00:00:10.200 --> 00:00:12.000
                <v Ada Lovelace>needs another week for the audit.</v>

                b-2/1-0
                00:00:12.500 --> 00:00:15.750
                <v Charles Babbage>Fine by me.</v>
                """);
        String type = parser.detect(vtt, "standup.vtt");
        assertThat(parser.supports(type)).isTrue();
        ParsedDocument doc = parser.parse(vtt, type, "standup.vtt");
        assertThat(doc.kind()).isEqualTo(ParsedDocument.Kind.TRANSCRIPT);
        assertThat(doc.note()).isEqualTo("read 4 captions of 2 speakers");
        ParsedDocument.Page page = doc.pages().getFirst();
        // A caption's line break is the screen's: the sentence over two cues is one sentence of Ada's turn.
        assertThat(page.text())
                .isEqualTo("Ada Lovelace: Good morning, let's start with the budget. The quarterly review moves to "
                        + "Friday because finance needs another week for the audit.\n\nCharles Babbage: Fine by me.");
        assertThat(page.spans())
                .extracting(ParsedDocument.Span::startMs, ParsedDocument.Span::endMs)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(3_120L, 6_480L),
                        org.assertj.core.groups.Tuple.tuple(6_900L, 10_200L),
                        org.assertj.core.groups.Tuple.tuple(10_200L, 12_000L),
                        org.assertj.core.groups.Tuple.tuple(12_500L, 15_750L));
        ParsedDocument.Span friday = page.spans().get(1);
        assertThat(page.text().substring(friday.charStart(), friday.charEnd()))
                .isEqualTo("The quarterly review moves to Friday because finance");

        // A file named .srt without a single cue is other text, read as text.
        Path notes = Files.writeString(tmp.resolve("notes.srt"), "Subtitles to do: reel 2 and reel 3.\n");
        ParsedDocument text = parser.parse(notes, parser.detect(notes, "notes.srt"), "notes.srt");
        assertThat(text.kind()).isEqualTo(ParsedDocument.Kind.TEXT);
        assertThat(text.pages().getFirst().text()).contains("reel 2 and reel 3.");
    }

    @Test
    void programsJsonAndScriptsAreAcceptedAndReadLineForLine(@TempDir Path tmp) throws IOException {
        Path java = Files.writeString(tmp.resolve("Budget.java"), """
                /** Computes the quarterly budget. */
                public class Budget {
                    // Limit agreed with finance in March.
                    private static final int LIMIT = 5000;
                }
                """);
        Path json = Files.writeString(
                tmp.resolve("export.json"), "{\"owner\":\"Ada\",\"note\":\"Travel limit is 5,000 euros.\"}\n");
        Path script = Files.writeString(
                tmp.resolve("backup.sh"), "#!/bin/sh\n# Nightly backup of the wiki\nrsync -a wiki/ /srv\n");
        // Tika names a .rs file application/rls-services+xml: its bytes are a Rust program, read as text.
        Path rust = Files.writeString(
                tmp.resolve("main.rs"), "// Reads the gauge log\nfn main() {\n    println!(\"ok\");\n}\n");
        for (Path file : List.of(java, json, script, rust)) {
            String type = parser.detect(file, file.getFileName().toString());
            assertThat(parser.supports(type))
                    .as("%s (%s)", file.getFileName(), type)
                    .isTrue();
            String text = parser.parse(file, type, file.getFileName().toString())
                    .pages()
                    .getFirst()
                    .text()
                    .strip();
            // Read as the file writes it: Tika's source-code parser made every line of a program a paragraph.
            assertThat(text).as(type).isEqualTo(Files.readString(file).strip());
        }
        assertThat(parser.detect(json, "export.json")).isEqualTo("application/json");
        // RTF is in the text family too, with a parser of its own: its text, not its control words.
        Path rtf = Files.writeString(
                tmp.resolve("minutes.rtf"),
                "{\\rtf1\\ansi{\\fonttbl\\f0\\fswiss Helvetica;}\\f0\\pard Minutes of the {\\b board} meeting.\\par}");
        String rtfType = parser.detect(rtf, "minutes.rtf");
        assertThat(parser.parse(rtf, rtfType, "minutes.rtf").pages().getFirst().text())
                .contains("Minutes of the board meeting.")
                .doesNotContain("rtf1");
    }

    @Test
    void pdfIsSplitIntoItsPages() throws IOException {
        Path pdf = TestSupport.shared("media/pdf/tracemonkey.pdf");
        assertThat(parser.detect(pdf, "whatever.bin")).isEqualTo("application/pdf");
        ParsedDocument doc = parser.parse(pdf, "application/pdf");
        assertThat(doc.paged()).isTrue();
        assertThat(doc.pages()).hasSize(14);
        assertThat(doc.pages().get(0).text()).contains("Trace-based Just-in-Time");
        assertThat(doc.pages().get(1).text()).contains("2x-20x speedup for traceable programs");
    }

    @Test
    void aFormsFilledFieldsAreTextUnderTheirLabelsAndItsEmptyOnesAreLeftOut(@TempDir Path tmp) throws IOException {
        Path pdf = tmp.resolve("application.pdf");
        try (var doc = pagesOf(List.of("Application for a reader's card at the city library."))) {
            var form = new org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm(doc);
            doc.getDocumentCatalog().setAcroForm(form);
            var name = textField(form, "p1-t1[0]", "Applicant's full name", "Ada Lovelace");
            var branch = textField(form, "branch", null, "Marylebone");
            var empty = textField(form, "p1-t24[0]", null, null);
            var unticked = new org.apache.pdfbox.pdmodel.interactive.form.PDCheckBox(form);
            unticked.setPartialName("c1_07[0]");
            var ticked = new org.apache.pdfbox.pdmodel.interactive.form.PDCheckBox(form);
            ticked.setPartialName("c1_08[0]");
            ticked.setAlternateFieldName("Existing member");
            ticked.getCOSObject().setName(org.apache.pdfbox.cos.COSName.V, "Yes");
            form.getFields().addAll(List.of(name, branch, empty, unticked, ticked));
            doc.save(pdf.toFile());
        }

        String text = parser.parse(pdf, "application/pdf").pages().getFirst().text();

        assertThat(text)
                .contains("Application for a reader's card")
                .contains("Applicant's full name: Ada Lovelace\n")
                .contains("branch: Marylebone\n")
                .contains("Existing member: Yes\n")
                .doesNotContain("p1-t1[0]")
                .doesNotContain("p1-t24[0]")
                .doesNotContain("c1_07[0]")
                .doesNotContain("Off");
        // The shared tax form: its filled field is kept, its 300 blank ones are not.
        String taxForm = parser.parse(TestSupport.shared("media/pdf/prefilled_f1040.pdf"), "application/pdf")
                .pages()
                .getLast()
                .text();
        assertThat(taxForm).contains("foobar").doesNotContain("p1-t24[0]").doesNotContain(": Off");
    }

    @Test
    void aFormFieldIsTextOfThePageItsBoxIsDrawnOn(@TempDir Path tmp) throws IOException {
        Path pdf = tmp.resolve("claim.pdf");
        try (var doc = pagesOf(List.of("Part one: the policy holder.", "Part two: the damage and its cost."))) {
            var form = new org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm(doc);
            doc.getDocumentCatalog().setAcroForm(form);
            var holder = textField(form, "f1", "Policy holder", "Ada Lovelace");
            // Its box on page 1, found through the page's annotations (a widget need not name its page).
            var widget = holder.getWidgets().getFirst();
            widget.setRectangle(new org.apache.pdfbox.pdmodel.common.PDRectangle(72, 600, 200, 20));
            doc.getPage(0).getAnnotations().add(widget);
            form.getFields().add(holder);
            doc.save(pdf.toFile());
        }

        List<ParsedDocument.Page> pages = parser.parse(pdf, "application/pdf").pages();

        assertThat(pages.get(0).text()).contains("Part one").endsWith("Policy holder: Ada Lovelace\n");
        assertThat(pages.get(1).text()).contains("Part two").doesNotContain("Ada Lovelace");
    }

    /** A new PDF of one page per line, each line at the top of its page (Helvetica, 12 pt); the caller closes it. */
    static org.apache.pdfbox.pdmodel.PDDocument pagesOf(List<String> lines) throws IOException {
        var doc = new org.apache.pdfbox.pdmodel.PDDocument();
        var font = new org.apache.pdfbox.pdmodel.font.PDType1Font(
                org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA);
        for (String line : lines) {
            var page = new org.apache.pdfbox.pdmodel.PDPage();
            doc.addPage(page);
            try (var text = new org.apache.pdfbox.pdmodel.PDPageContentStream(doc, page)) {
                text.beginText();
                text.setFont(font, 12);
                text.newLineAtOffset(72, 700);
                text.showText(line);
                text.endText();
            }
        }
        return doc;
    }

    @Test
    void aPageSetWithWideLineSpacingKeepsItsSentencesWholeAndParagraphsOfSingleSpacedTextStayApart(@TempDir Path tmp)
            throws IOException {
        // The manual's lines are 16 pt apart in 11 pt type (about 1.5 spacing): PDFBox read each as a paragraph.
        Path manual = tmp.resolve("manual.pdf");
        dev.omnirag.server.eval.ParsingDevSet.manual(manual);
        String reset =
                parser.parse(manual, "application/pdf").pages().get(6).text().strip();
        assertThat(reset)
                .contains("on the back for ten\nseconds with a paper clip")
                .doesNotContain("\n\n");

        Path report = tmp.resolve("report.pdf");
        try (var doc = new org.apache.pdfbox.pdmodel.PDDocument()) {
            var page = new org.apache.pdfbox.pdmodel.PDPage();
            doc.addPage(page);
            var font = new org.apache.pdfbox.pdmodel.font.PDType1Font(
                    org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA);
            String[][] paragraphs = {
                {"The pumps were serviced in March and their seals", "were replaced with the new type."},
                {"The fans were cleaned in April and their belts", "were tightened by the night shift."}
            };
            float y = 700;
            try (var text = new org.apache.pdfbox.pdmodel.PDPageContentStream(doc, page)) {
                for (String[] paragraph : paragraphs) {
                    for (String line : paragraph) {
                        text.beginText();
                        text.setFont(font, 12);
                        text.newLineAtOffset(72, y);
                        text.showText(line);
                        text.endText();
                        y -= 14;
                    }
                    y -= 14;
                }
            }
            doc.save(report.toFile());
        }
        assertThat(parser.parse(report, "application/pdf").pages().getFirst().text())
                .contains("their seals\nwere replaced with the new type.\n\nThe fans");
    }

    @Test
    void raisedDigitsReadAsSuperscriptsAndASentenceCutByAPageBreakIsWholeOnItsFirstPage(@TempDir Path tmp)
            throws IOException {
        Path study = tmp.resolve("study.pdf");
        dev.omnirag.server.eval.ParsingDevSet.fieldStudy(study);
        List<ParsedDocument.Page> pages = parser.parse(study, "application/pdf").pages();

        // Citations set with the text rise operator, exponents and units placed higher: none glued to its word.
        assertThat(pages.get(0).text())
                .contains("as earlier trials had suggested.¹,² Clover fixed")
                .contains("species we sowed.³ The bacterial count")
                .contains("4 × 10⁸ cells per gram")
                .contains("9 × 10⁶ under bare fallow");
        assertThat(pages.get(1).text()).contains("covered 240 m² and");
        // A footnote's own number starts its line: nothing is raised before it.
        assertThat(pages.get(1).text()).contains("4 Counted in June");

        // The first page's text ends mid-sentence above a footnote: the sentence's end joins the text there, the
        // footnote comes after it; the running footer is gone.
        assertThat(pages.get(0).text().strip())
                .endsWith("in the same week, by\nfourteen percent, and the rye plots by nine percent.\n\n"
                        + "3 Clover was sown at 20 kg of seed per hectare.")
                .doesNotContain("Soil Research Station");
        assertThat(pages.get(1).text()).startsWith("Weeds were fewer under rye");
        // A page that ends a sentence keeps its text.
        assertThat(pages.get(2).text().strip()).startsWith("References");
    }

    @Test
    void aSmallerColumnBesideTheTextIsNotReadAsRaisedDigits(@TempDir Path tmp) throws IOException {
        Path pdf = tmp.resolve("sidebar.pdf");
        try (var doc = new org.apache.pdfbox.pdmodel.PDDocument()) {
            var page = new org.apache.pdfbox.pdmodel.PDPage();
            doc.addPage(page);
            var font = new org.apache.pdfbox.pdmodel.font.PDType1Font(
                    org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA);
            try (var cs = new org.apache.pdfbox.pdmodel.PDPageContentStream(doc, page)) {
                // body text in 11 pt and, across the gutter, a sidebar in 8 pt set 3 pt higher
                String[][] lines = {
                    {"The pumps ran for six hours", "2019 was the driest year"}, {"and then", "1998 the wettest"}
                };
                for (int i = 0; i < lines.length; i++) {
                    cs.beginText();
                    cs.setFont(font, 11);
                    cs.newLineAtOffset(72, 700 - 14 * i);
                    cs.showText(lines[i][0]);
                    cs.endText();
                    cs.beginText();
                    cs.setFont(font, 8);
                    cs.newLineAtOffset(300, 703 - 14 * i);
                    cs.showText(lines[i][1]);
                    cs.endText();
                }
            }
            doc.save(pdf.toFile());
        }
        String text = parser.parse(pdf, "application/pdf").pages().getFirst().text();

        assertThat(text).contains("2019 was the driest year").contains("1998 the wettest");
    }

    /** A text field of {@code form} with its name, its tooltip ({@code label}) and its value, each when not null. */
    static org.apache.pdfbox.pdmodel.interactive.form.PDTextField textField(
            org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm form, String name, String label, String value) {
        var field = new org.apache.pdfbox.pdmodel.interactive.form.PDTextField(form);
        field.setPartialName(name);
        if (label != null) {
            field.setAlternateFieldName(label);
        }
        if (value != null) {
            field.getCOSObject().setString(org.apache.pdfbox.cos.COSName.V, value);
        }
        return field;
    }

    @Test
    void aPdfsOutlineIsNotTextOfItsLastPageButItsCommentsAndLinksAreOnTheirPages(@TempDir Path tmp) throws IOException {
        Path pdf = tmp.resolve("book.pdf");
        try (var doc = pagesOf(List.of(
                "Chapter 1 explains how tracing compilers record hot loops.",
                "Chapter 2 explains how tracing compilers record hot loops."))) {
            for (int i = 1; i <= 2; i++) {
                var page = doc.getPage(i - 1);
                var comment = new org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationText();
                comment.setContents("Reviewer note on chapter " + i);
                comment.setRectangle(new org.apache.pdfbox.pdmodel.common.PDRectangle(300, 600, 20, 20));
                page.getAnnotations().add(comment);
            }
            var outline = new org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDDocumentOutline();
            doc.getDocumentCatalog().setDocumentOutline(outline);
            for (int i = 1; i <= 2; i++) {
                var entry = new org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDOutlineItem();
                entry.setTitle("Bookmark for chapter " + i);
                entry.setDestination(doc.getPage(i - 1));
                outline.addLast(entry);
            }
            doc.save(pdf.toFile());
        }

        List<ParsedDocument.Page> pages = parser.parse(pdf, "application/pdf").pages();

        assertThat(pages).hasSize(2);
        assertThat(pages.get(0).text()).contains("Chapter 1 explains").contains("Reviewer note on chapter 1");
        assertThat(pages.get(1).text())
                .contains("Chapter 2 explains")
                .contains("Reviewer note on chapter 2")
                .doesNotContain("Bookmark for chapter");
    }

    @Test
    void damagedPdfsFailWithReasons() {
        assertThatThrownBy(
                        () -> parser.parse(TestSupport.shared("media/bad/xref_command_missing.pdf"), "application/pdf"))
                .isInstanceOf(IngestException.BadFile.class)
                .hasMessageContaining("cross-reference");
        assertThatThrownBy(() -> parser.parse(TestSupport.shared("media/bad/empty_protected.pdf"), "application/pdf"))
                .isInstanceOf(IngestException.BadFile.class)
                .hasMessageContaining("encrypted");
        assertThatThrownBy(
                        () -> parser.parse(TestSupport.shared("media/bad/poppler-395-0-fuzzed.pdf"), "application/pdf"))
                .isInstanceOf(IngestException.BadFile.class)
                .hasMessageContaining("Page tree root");
        assertThatThrownBy(
                        () -> parser.parse(TestSupport.shared("media/bad/PDFBOX-3148-2-fuzzed.pdf"), "application/pdf"))
                .isInstanceOf(IngestException.BadFile.class)
                .hasMessageContaining("no text could be extracted");
    }

    @Test
    void repairModeIndexesWhatCanBeRecovered() throws IOException {
        ParsedDocument doc = new DocumentParser(true)
                .parse(TestSupport.shared("media/bad/xref_command_missing.pdf"), "application/pdf");
        assertThat(doc.pages().getFirst().text()).contains("Reduced test-case");
    }

    @Test
    void runningHeadersFootersAndPageNumbersAreKeptOutOfThePageText(@TempDir Path tmp) throws IOException {
        Path pdf = tmp.resolve("report.pdf");
        try (var doc = new org.apache.pdfbox.pdmodel.PDDocument()) {
            var font = new org.apache.pdfbox.pdmodel.font.PDType1Font(
                    org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA);
            for (int n = 1; n <= 4; n++) {
                var page = new org.apache.pdfbox.pdmodel.PDPage();
                doc.addPage(page);
                try (var cs = new org.apache.pdfbox.pdmodel.PDPageContentStream(doc, page)) {
                    String team = List.of("sales", "research", "support", "operations")
                            .get(n - 1);
                    String[] lines = {
                        "ACME Corp Quarterly Report 2026",
                        "The " + team + " team results come first.",
                        "Revenue of the " + team + " team grew in every month.",
                        "The " + team + " outlook stays positive.",
                        "Page " + n + " of 4"
                    };
                    float[] y = {760, 700, 680, 660, 40};
                    for (int i = 0; i < lines.length; i++) {
                        cs.beginText();
                        cs.setFont(font, 11);
                        cs.newLineAtOffset(72, y[i]);
                        cs.showText(lines[i]);
                        cs.endText();
                    }
                }
            }
            doc.save(pdf.toFile());
        }

        ParsedDocument parsed = parser.parse(pdf, "application/pdf");

        assertThat(parsed.pages())
                .hasSize(4)
                .allSatisfy(p -> assertThat(p.text())
                        .doesNotContain("Quarterly Report")
                        .doesNotContain(" of 4")
                        .contains("team results come first.")
                        .contains("stays positive."));
    }

    @Test
    void htmlIsOneUnpagedPageWithoutScripts(@TempDir Path tmp) throws IOException {
        Path html = Files.writeString(
                tmp.resolve("page.html"),
                "<html><head><title>T</title><script>var x=1;</script>"
                        + "</head><body><h1>Wings</h1><p>Swept wings delay drag rise.</p></body></html>");
        String type = parser.detect(html, "page.html");
        assertThat(type).isEqualTo("text/html");
        ParsedDocument doc = parser.parse(html, type);
        assertThat(doc.paged()).isFalse();
        assertThat(doc.pages()).hasSize(1);
        assertThat(doc.pages().getFirst().text())
                .contains("Wings")
                .contains("Swept wings delay drag rise.")
                .doesNotContain("var x");
    }

    @Test
    void aWebPagesMenusBannerFooterAndSidebarAreNotItsTextWhenItMarksItsMain(@TempDir Path tmp) throws IOException {
        Path html = Files.writeString(tmp.resolve("cooling.html"), """
                <!DOCTYPE html><html><head><title>Turbine blade cooling - ACME Wiki</title></head><body>
                <header><div class="logo">ACME Corp</div><nav><a href="/">Home</a> <a href="/products">Products</a></nav></header>
                <aside><h3>Related</h3><a href="/top10">Top 10 turbines</a></aside>
                <main><h1>Turbine blade cooling</h1>
                <p>Film cooling protects turbine blades from hot gas.</p>
                <table><tr><th>Method</th><th>Effectiveness</th></tr><tr><td>Film</td><td>0.4</td></tr></table>
                </main>
                <footer>Copyright 2026 ACME Corp. <a href="/privacy">Privacy policy</a></footer>
                <div id="cookies">We use cookies to improve your experience.</div>
                </body></html>
                """);

        String text = parser.parse(html, "text/html").pages().getFirst().text();

        assertThat(text.strip()).startsWith("Turbine blade cooling\n");
        assertThat(text)
                .contains("Film cooling protects turbine blades from hot gas.")
                .contains("Method | Effectiveness\nFilm | 0.4")
                .doesNotContain("ACME")
                .doesNotContain("Home")
                .doesNotContain("Top 10 turbines")
                .doesNotContain("Privacy policy")
                .doesNotContain("cookies");
    }

    @Test
    void aWebPageWithoutAMainKeepsItsArticlesOwnHeaderAndNotesButNotThePagesFurniture(@TempDir Path tmp)
            throws IOException {
        Path html = Files.writeString(tmp.resolve("post.html"), """
                <html><head><title>My blog</title></head><body>
                <div role="banner"><a href="/">My Blog</a></div>
                <div role="navigation"><a href="/posts">All posts</a></div>
                <article><header><h1>Cooling notes</h1><p>By Ada, 3 May</p></header>
                <p>Transpiration cooling sweats coolant through a porous wall.</p>
                <aside><p>Porous walls clog.</p></aside>
                <footer>Filed under heat transfer</footer></article>
                <aside><h3>Archives</h3><ul><li>May 2026</li></ul></aside>
                <section><h2>Questions</h2><div hidden>Answer shown when its question is clicked</div></section>
                <form>Country <select><option>Afghanistan</option><option>Albania</option></select><button>Send</button></form>
                <footer>Site footer text</footer>
                </body></html>
                """);

        String text = parser.parse(html, "text/html").pages().getFirst().text();

        assertThat(text)
                .contains("Cooling notes\n")
                .contains("By Ada, 3 May")
                .contains("Transpiration cooling sweats coolant through a porous wall.")
                .contains("Porous walls clog.")
                .contains("Filed under heat transfer")
                .contains("Answer shown when its question is clicked")
                .contains("Country")
                .doesNotContain("My Blog")
                .doesNotContain("All posts")
                .doesNotContain("Archives")
                .doesNotContain("Afghanistan")
                .doesNotContain("Send")
                .doesNotContain("Site footer");
        // The title is the first line: no heading of the page holds it.
        assertThat(text.strip()).startsWith("My blog\n");
    }

    @Test
    void aWebPagesListItemsStartWithTheirNumbersAndBullets(@TempDir Path tmp) throws IOException {
        Path html = Files.writeString(
                tmp.resolve("setup.html"),
                "<html><body><p>To connect with PPPoE:</p><ol><li>Choose PPPoE.</li><li>Enter the password</li>"
                        + "</ol><p>Steps from the letter:</p><ol start=\"3\"><li>Click <b>Save</b>.</li></ol>"
                        + "<ul><li>Keep the letter</li><li>Nested:<ul><li>inner</li></ul></li></ul></body></html>");

        String text = parser.parse(html, "text/html").pages().getFirst().text();

        assertThat(text.lines().map(String::strip).filter(l -> !l.isEmpty()))
                .containsExactly(
                        "To connect with PPPoE:",
                        "1. Choose PPPoE.",
                        "2. Enter the password",
                        "Steps from the letter:",
                        "3. Click Save.", // the list's start attribute
                        "- Keep the letter",
                        "- Nested:",
                        "- inner");
    }

    @Test
    void aWebPagesSuperscriptDigitsAreRaisedAndOtherSuperscriptsKeptAsWritten(@TempDir Path tmp) throws IOException {
        Path html = Files.writeString(
                tmp.resolve("study.html"),
                "<html><body><p>Yields rose as shown previously<sup>12</sup> on plots of 240 m<sup>2</sup>, with"
                        + " 4 × 10<sup>8</sup> cells and a risk of 10<sup>-6</sup> per year.<sup>3,4</sup> Water is"
                        + " H<sub>2</sub>O.<sup>[5]</sup> It is the 1<sup>st</sup> study.</p>"
                        + "<table><tr><th>Plot</th><th>Area</th></tr><tr><td>North</td><td>240 m<sup>2</sup></td></tr>"
                        + "</table></body></html>");

        String text = parser.parse(html, "text/html").pages().getFirst().text();

        assertThat(text)
                .contains("Yields rose as shown previously¹² on plots of 240 m², with 4 × 10⁸ cells and a risk of"
                        + " 10⁻⁶ per year.³,⁴ Water is H2O.[5] It is the 1st study.")
                .contains("North | 240 m²");
    }

    @Test
    void aWordDocumentsSuperscriptDigitsAreRaisedAndItsSubscriptsKept(@TempDir Path tmp) throws IOException {
        Path docx = tmp.resolve("study.docx");
        try (var doc = new org.apache.poi.xwpf.usermodel.XWPFDocument()) {
            var p = doc.createParagraph();
            String[][] runs = {
                {"Yields rose as shown previously", ""},
                {"12", "superscript"},
                {" on plots of 240 m", ""},
                {"2", "superscript"},
                {", with 4 × 10", ""},
                {"8", "superscript"},
                {" cells. Water is H", ""},
                {"2", "subscript"},
                {"O.", ""},
                {"3,4", "superscript"},
                {" It is the 1", ""},
                {"st", "superscript"},
                {" study.", ""}
            };
            for (String[] r : runs) {
                var run = p.createRun();
                run.setText(r[0]);
                if (!r[1].isEmpty()) {
                    run.setVerticalAlignment(r[1]);
                }
            }
            try (var out = Files.newOutputStream(docx)) {
                doc.write(out);
            }
        }

        String text =
                parser.parse(docx, OfficeSuperscripts.WORD).pages().getFirst().text();

        assertThat(text)
                .contains("Yields rose as shown previously¹² on plots of 240 m², with 4 × 10⁸ cells. Water is H2O.³,⁴"
                        + " It is the 1st study.");
    }

    @Test
    void aPdfsTitlePropertyNamesItsChunksWhenItsFirstPageShowsIt() throws IOException {
        // The working paper's first line is its series; its title property is the paper's title (over two lines).
        ParsedDocument paper =
                parser.parse(dev.omnirag.server.TestSupport.shared("media/pdf/TAMReview.pdf"), "application/pdf");

        assertThat(ChunkPlanner.title(paper))
                .isEqualTo("Overview of the Technology Acceptance Model: Origins, Developments and Future Directions");
    }

    @Test
    void aDecksSuperscriptDigitsAreRaisedOnTheirSlide(@TempDir Path tmp) throws IOException {
        Path pptx = tmp.resolve("deck.pptx");
        try (var deck = new org.apache.poi.xslf.usermodel.XMLSlideShow()) {
            String[][][] slides = {
                {{"Plots of 240 m", ""}, {"2", "raised"}, {" were sown in 2024.", ""}},
                {{"Each plot covered 240 m", ""}, {"2", "raised"}, {" and yields rose", ""}, {"3", "raised"}}
            };
            for (String[][] parts : slides) {
                var box = deck.createSlide().createTextBox();
                box.setAnchor(new java.awt.Rectangle(50, 50, 600, 300));
                var paragraph = box.addNewTextParagraph();
                for (String[] part : parts) {
                    var run = paragraph.addNewTextRun();
                    run.setText(part[0]);
                    run.setSuperscript(!part[1].isEmpty());
                }
            }
            try (var out = Files.newOutputStream(pptx)) {
                deck.write(out);
            }
        }

        List<ParsedDocument.Page> pages =
                parser.parse(pptx, OfficeSuperscripts.SLIDES).pages();

        assertThat(pages.get(0).text()).contains("Plots of 240 m² were sown in 2024.");
        assertThat(pages.get(1).text()).contains("Each plot covered 240 m² and yields rose³");
    }

    @Test
    void aWebPageWithoutLandmarksIsReadWholeBlockByBlock(@TempDir Path tmp) throws IOException {
        Path html = Files.writeString(
                tmp.resolve("old.html"),
                "<html><head><title>Wing notes</title></head><body><div>First block</div><div>Second block</div>"
                        + "<table><tr><td><a href=\"/\">Home</a></td><td>Text in a layout table.</td></tr></table>"
                        + "<h2>Wing notes</h2></body></html>");

        String text = parser.parse(html, "text/html").pages().getFirst().text();

        assertThat(text).contains("First block\n").contains("Second block").contains("Home | Text in a layout table.");
        // Its title is its heading, already in the text.
        assertThat(text.strip()).startsWith("First block");
        // An editor's default title names nothing.
        Path untitled = Files.writeString(
                tmp.resolve("export.html"),
                "<html><head><title>Untitled document</title></head><body><p>Exported text.</p></body></html>");
        assertThat(parser.parse(untitled, "text/html").pages().getFirst().text().strip())
                .isEqualTo("Exported text.");
        // A main a script would fill, or one holding only the title, is not the page.
        Path shell = Files.writeString(
                tmp.resolve("app.html"),
                "<html><body><main id=\"app\"></main><div>Served text of the page, many words long enough.</div>"
                        + "</body></html>");
        assertThat(parser.parse(shell, "text/html").pages().getFirst().text()).contains("Served text of the page");
        Path titleOnly = Files.writeString(
                tmp.resolve("odd.html"),
                "<html><body><main><h1>Odd</h1></main><div>" + "A long paragraph outside the main. ".repeat(5)
                        + "</div></body></html>");
        assertThat(parser.parse(titleOnly, "text/html").pages().getFirst().text())
                .contains("Odd")
                .contains("A long paragraph outside the main.");
    }

    @Test
    void aWebPageTooLongToHoldIsReadWholeInOrder(@TempDir Path tmp) throws IOException {
        Path html = Files.writeString(
                tmp.resolve("long.html"),
                "<html><body><nav>Menu</nav><div>First words outside.</div>" + "<div>row</div>".repeat(210_000)
                        + "<main><p>Main words.</p></main><div>Last words outside.</div></body></html>");

        String text = parser.parse(html, "text/html").pages().getFirst().text();

        assertThat(text).doesNotContain("Menu");
        assertThat(text.indexOf("First words outside.")).isNotNegative().isLessThan(text.indexOf("Main words."));
        assertThat(text.indexOf("Main words.")).isLessThan(text.indexOf("Last words outside."));
    }

    @Test
    void aDecksMasterTextIsNotTextOfEverySlideButItsSpeakerNotesAre(@TempDir Path tmp) throws IOException {
        Path pptx = tmp.resolve("deck.pptx");
        try (var deck = new org.apache.poi.xslf.usermodel.XMLSlideShow();
                var out = Files.newOutputStream(pptx)) {
            var master = deck.getSlideMasters().getFirst();
            master.createTextBox().setText("ACME Confidential - internal use only");
            var layout = master.getLayout(org.apache.poi.xslf.usermodel.SlideLayout.TITLE_AND_CONTENT);
            for (int i = 1; i <= 3; i++) {
                var slide = deck.createSlide(layout);
                slide.getPlaceholder(0).setText("Cooling, part " + i);
                slide.getPlaceholder(1).setText("Film cooling effectiveness at blowing ratio " + i);
                for (var placeholder : deck.getNotesSlide(slide).getPlaceholders()) {
                    if (placeholder.getTextType() == org.apache.poi.sl.usermodel.Placeholder.BODY) {
                        placeholder.setText("Say why ratio " + i + " matters");
                    }
                }
            }
            deck.write(out);
        }

        List<ParsedDocument.Page> slides = parser.parse(
                        pptx, "application/vnd.openxmlformats-officedocument.presentationml.presentation")
                .pages();

        assertThat(slides).hasSize(3);
        for (int i = 1; i <= 3; i++) {
            assertThat(slides.get(i - 1).text())
                    .contains("Cooling, part " + i)
                    .contains("Film cooling effectiveness at blowing ratio " + i)
                    .contains("Say why ratio " + i + " matters")
                    .doesNotContain("ACME Confidential");
        }
    }

    @Test
    void supportsDocumentsButNotArbitraryBinaries(@TempDir Path tmp) throws IOException {
        Path md = Files.writeString(tmp.resolve("notes.md"), "# Title\n\nSome *markdown* text.");
        assertThat(parser.supports(parser.detect(md, "notes.md"))).isTrue();
        Path png = Files.write(tmp.resolve("x.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0});
        assertThat(parser.supports(parser.detect(png, "x.png"))).isFalse();
        assertThat(parser.supports("application/octet-stream")).isFalse();
    }

    @Test
    void aTextNameOverTextBytesIsTakenAtItsWordButNeverMakesBinaryBytesText(@TempDir Path tmp) throws IOException {
        Path notes = Files.writeString(tmp.resolve("a"), "compact memories have flexible capacities\n");
        assertThat(parser.detect(notes, "notes.txt")).isEqualTo("text/plain");
        assertThat(parser.detect(notes, "notes.md")).isEqualTo("text/markdown");
        assertThat(parser.detect(notes, "table.csv")).isEqualTo("text/csv");
        // Bytes that are not text: the name does not make them so.
        Path pdf = TestSupport.shared("media/pdf/tracemonkey.pdf");
        assertThat(parser.detect(pdf, "renamed.txt")).isEqualTo("application/pdf");
        Path png = Files.write(tmp.resolve("x"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13});
        assertThat(parser.detect(png, "picture.txt")).isNotEqualTo("text/plain");
        // A name that says nothing: the bytes decide, as before.
        assertThat(parser.detect(notes, "notes.bin")).isEqualTo("text/plain");
    }

    @Test
    void plainTextIsReadInItsOwnCharsetAndCommaSeparatedTextStaysText(@TempDir Path tmp) throws IOException {
        Path latin1 = Files.write(
                tmp.resolve("a.txt"),
                "Café naïve résumé: la crème brûlée, déjà vu, encore une fois.\n"
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(parser.parse(latin1, "text/plain").pages().getFirst().text())
                .contains("Café naïve résumé: la crème brûlée, déjà vu");
        Path csvish = Files.writeString(tmp.resolve("b.txt"), "name,age,city\nann,31,paris\nbob,42,rome\n");
        assertThat(parser.parse(csvish, "text/plain").pages().getFirst().text()).contains("ann,31,paris");
    }

    @Test
    void wellFormedUtf8IsReadAsUtf8WithoutItsBomAndLatin1AfterALongAsciiStartStaysLatin1(@TempDir Path tmp)
            throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] text = "Zoë’s naïve café — 5 €, déjà vu.\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] withBom = new byte[bom.length + text.length];
        System.arraycopy(bom, 0, withBom, 0, bom.length);
        System.arraycopy(text, 0, withBom, bom.length, text.length);
        Path utf8 = Files.write(tmp.resolve("u.txt"), withBom);
        assertThat(parser.parse(utf8, "text/plain").pages().getFirst().text().strip())
                .startsWith("Zoë’s naïve café — 5 €, déjà vu.");
        assertThat(StrictUtf8.matches(utf8)).isTrue();

        // Past the first 64 KB (the check's buffer, and more than Tika's detectors look at), a Latin-1 byte makes the
        // file not UTF-8: it is read in its own charset, not with replacement characters.
        String ascii = "The wing was tested at low speed in the tunnel. ".repeat(1500);
        byte[] tail = "Résumé of the tests.\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] head = ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] mixed = new byte[head.length + tail.length];
        System.arraycopy(head, 0, mixed, 0, head.length);
        System.arraycopy(tail, 0, mixed, head.length, tail.length);
        Path latin1 = Files.write(tmp.resolve("l.txt"), mixed);
        assertThat(StrictUtf8.matches(latin1)).isFalse();
        assertThat(parser.parse(latin1, "text/plain").pages().getFirst().text())
                .contains("Résumé of the tests.")
                .doesNotContain("\uFFFD");

        // A multi-byte character cut at the end of the file is not well-formed.
        Path cut = Files.write(tmp.resolve("c.txt"), java.util.Arrays.copyOf(text, text.length - 6));
        assertThat(StrictUtf8.matches(cut)).isFalse();
    }

    @Test
    void aWebPagesSourceLineBreaksAreSpacesItsListItemsParagraphsStayOnTheirMarkersAndItsNoteReferencesAreRaised(
            @TempDir Path tmp) throws IOException {
        Path html = Files.writeString(tmp.resolve("handbook.html"), """
                <html><body><main>
                <p>Tyre pressure must be checked
                cold. The formula is E = mc<sup>2</sup>
                and the pads are replaced every 20,000 km.<a href="#fn1" role="doc-noteref">1</a> Then
                    the discs.<a class="footnote-ref" href="#fn2">2</a></p>
                <ol>
                  <li>
                    <p>Lift the vehicle.</p>
                  </li>
                  <li><p>Remove the wheel.</p></li>
                  <li></li>
                  <li>Measure the lining.</li>
                </ol>
                <ul><li></li></ul><h2>Opening hours</h2>
                <pre>keep   this
                  layout</pre>
                <ol><li id="fn1"><p>Or every twelve months.<a href="#r1" role="doc-backlink">↩︎</a></p></li>
                <li id="fn2"><p>Check them yearly.<a href="#r2" class="footnote-back">↩</a></p></li></ol>
                </main></body></html>""");
        String text = parser.parse(html, "text/html").pages().getFirst().text();
        assertThat(text)
                .contains("Tyre pressure must be checked cold. The formula is E = mc² and the pads are replaced every"
                        + " 20,000 km.¹ Then the discs.²\n")
                .contains("1. Lift the vehicle.\n")
                .contains("2. Remove the wheel.\n")
                .contains("4. Measure the lining.")
                .contains("\nOpening hours\n")
                .contains("keep   this\n  layout")
                .contains("1. Or every twelve months.")
                .contains("2. Check them yearly.")
                .doesNotContain("↩");
    }

    @Test
    void anOpenDocumentsFootnoteFollowsTheTextAndLeavesItsRaisedNumberInTheSentence(@TempDir Path tmp)
            throws IOException {
        String content = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""
                + " xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">"
                + "<office:body><office:text>"
                + "<text:p>Inspect the brake pads every 20,000 km.<text:note text:id=\"ftn0\" text:note-class=\"footnote\">"
                + "<text:note-citation>1</text:note-citation><text:note-body><text:p>Or every twelve months, whichever"
                + " comes first.</text:p></text:note-body></text:note> Replace them when the lining is thinner than 3"
                + " mm.</text:p><text:p>Check the discs for scoring.</text:p>"
                + "</office:text></office:body></office:document-content>";
        Path odt = TestBooks.container(
                tmp.resolve("handbook.odt"),
                "application/vnd.oasis.opendocument.text",
                java.util.Map.of("content.xml", content));
        String text = parser.parse(odt, "application/vnd.oasis.opendocument.text")
                .pages()
                .getFirst()
                .text();
        assertThat(text)
                .contains("Inspect the brake pads every 20,000 km.¹ Replace them when the lining is thinner than 3 mm.")
                .contains("Check the discs for scoring.");
        assertThat(text.strip()).endsWith("1 Or every twelve months, whichever comes first.");
    }

    @Test
    void aSlidesNumberedParagraphsReadWithTheirNumbersAsPowerPointShowsThem(@TempDir Path tmp) throws IOException {
        Path pptx = tmp.resolve("brakes.pptx");
        try (var show = new org.apache.poi.xslf.usermodel.XMLSlideShow();
                var out = Files.newOutputStream(pptx)) {
            var slide = show.createSlide();
            // A title that reads as the first step: it keeps no number, the step does.
            var title = slide.createTextBox();
            title.setAnchor(new java.awt.Rectangle(40, 0, 500, 30));
            title.setText("Lift the vehicle.");
            var steps = slide.createTextBox();
            steps.setAnchor(new java.awt.Rectangle(40, 40, 500, 300));
            steps.clearText();
            steps.addNewTextParagraph().addNewTextRun().setText("Brake inspection");
            Object[][] body = {
                {"Lift the vehicle.", 0, true},
                {"Remove the wheel.", 0, true},
                {"Use the torque wrench.", 1, false},
                {"Measure the lining.", 0, true}
            };
            for (Object[] line : body) {
                var p = steps.addNewTextParagraph();
                p.setIndentLevel((int) line[1]);
                if ((boolean) line[2]) {
                    p.setBulletAutoNumber(org.apache.poi.sl.usermodel.AutoNumberingScheme.arabicPeriod, 1);
                }
                p.addNewTextRun().setText((String) line[0]);
            }
            // A second box: its own list, counted from its start, in its own scheme.
            var options = slide.createTextBox();
            options.setAnchor(new java.awt.Rectangle(40, 360, 500, 100));
            options.clearText();
            for (String option : List.of("Drum brakes", "Disc brakes")) {
                var p = options.addNewTextParagraph();
                p.setBulletAutoNumber(org.apache.poi.sl.usermodel.AutoNumberingScheme.alphaLcParenRight, 3);
                p.addNewTextRun().setText(option);
            }
            show.write(out);
        }
        String text =
                parser.parse(pptx, OfficeSuperscripts.SLIDES).pages().getFirst().text();
        assertThat(text.strip()).startsWith("Lift the vehicle.\n");
        assertThat(text)
                .contains("Brake inspection")
                .doesNotContain(". Brake inspection")
                .contains("1. Lift the vehicle.")
                .contains("2. Remove the wheel.")
                .contains("3. Measure the lining.")
                .contains("c) Drum brakes")
                .contains("d) Disc brakes");
        assertThat(text).doesNotContain(". Use the torque wrench.");
        assertThat(SlideNumbering.marker("romanUcParenBoth", 4)).isEqualTo("(IV)");
        assertThat(SlideNumbering.marker("alphaLcPeriod", 28)).isEqualTo("ab.");
    }

    @Test
    void aRestartedWordListIsNumberedOneTwoThreeNotOneOneOne(@TempDir Path tmp) throws IOException {
        Path docx = tmp.resolve("procedures.docx");
        int procedures = 400;
        try (var doc = new org.apache.poi.xwpf.usermodel.XWPFDocument();
                var out = Files.newOutputStream(docx)) {
            // One nine-level definition, as Word writes them.
            var definition = org.openxmlformats.schemas.wordprocessingml.x2006.main.CTAbstractNum.Factory.newInstance();
            definition.setAbstractNumId(java.math.BigInteger.ZERO);
            for (int l = 0; l < 9; l++) {
                var level = definition.addNewLvl();
                level.setIlvl(java.math.BigInteger.valueOf(l));
                level.addNewStart().setVal(java.math.BigInteger.ONE);
                level.addNewNumFmt()
                        .setVal(org.openxmlformats.schemas.wordprocessingml.x2006.main.STNumberFormat.DECIMAL);
                level.addNewLvlText().setVal("%" + (l + 1) + ".");
            }
            var numbering = doc.createNumbering();
            var abstractId =
                    numbering.addAbstractNum(new org.apache.poi.xwpf.usermodel.XWPFAbstractNum(definition, numbering));
            // A paragraph in a style named "Note" is no footnote (Tika writes its class as an OpenDocument note's).
            var noteStyle = org.openxmlformats.schemas.wordprocessingml.x2006.main.CTStyle.Factory.newInstance();
            noteStyle.setStyleId("Note");
            noteStyle.addNewName().setVal("Note");
            noteStyle.setType(org.openxmlformats.schemas.wordprocessingml.x2006.main.STStyleType.PARAGRAPH);
            doc.createStyles().addStyle(new org.apache.poi.xwpf.usermodel.XWPFStyle(noteStyle));
            var note = doc.createParagraph();
            note.setStyle("Note");
            note.createRun().setText("1 bar is the most the pump may take.");
            for (int k = 0; k < procedures; k++) {
                // Word's "Restart at 1" for every list after the first: an instance whose level 0 starts over.
                var num = numbering.addNum(abstractId);
                if (k > 0) {
                    var override = numbering.getNum(num).getCTNum().addNewLvlOverride();
                    override.setIlvl(java.math.BigInteger.ZERO);
                    override.addNewStartOverride().setVal(java.math.BigInteger.ONE);
                }
                doc.createParagraph().createRun().setText("Procedure " + k);
                for (String step : List.of("Lift the vehicle " + k + ".", "Remove wheel " + k + ".")) {
                    var p = doc.createParagraph();
                    p.setNumID(num);
                    p.setNumILvl(java.math.BigInteger.ZERO);
                    p.createRun().setText(step);
                }
            }
            doc.write(out);
        }
        String text =
                parser.parse(docx, OfficeSuperscripts.WORD).pages().getFirst().text();
        // 400 near-identical copies of the definition compress past POI's zip bomb ratio unless stored as they are.
        for (int k = 0; k < procedures; k += 97) {
            assertThat(text).contains("1. Lift the vehicle " + k + ".").contains("2. Remove wheel " + k + ".");
        }
        assertThat(text.indexOf("1 bar is the most the pump may take.")).isBetween(0, text.indexOf("Procedure 0"));
        // The corrected copy Tika read is gone.
        try (var left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(left.map(Path::getFileName).map(Path::toString))
                    .noneMatch(n -> n.startsWith("omnirag-numbered"));
        }
    }

    @Test
    void anEpubsSectionsAreItsPagesInReadingOrderWithoutItsTableOfContents(@TempDir Path tmp) throws IOException {
        Path book = TestBooks.epub(
                tmp.resolve("keeper.epub"),
                "<dc:title>\n  The Lighthouse   Keeper\n</dc:title>",
                // The manifest lists chapter two first; the spine's order is the reading order.
                """
                <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
                <item id="c2" href="text/chapter%202.xhtml" media-type="application/xhtml+xml"/>
                <item id="c1" href="text/ch1.xhtml" media-type="application/xhtml+xml"/>
                <item id="notes" href="text/notes.xhtml" media-type="application/xhtml+xml"/>
                <item id="cover" href="cover.svg" media-type="image/svg+xml"/>""",
                """
                <itemref idref="cover"/><itemref idref="c1"/><itemref idref="c2"/>
                <itemref idref="notes" linear="no"/><itemref idref="nav"/>""",
                java.util.Map.of(
                        "OEBPS/nav.xhtml",
                        TestBooks.xhtml(
                                "Contents",
                                "<nav><ol><li>Chapter One: The Storm</li><li>Chapter Two: The Rescue</li></ol></nav>"),
                        "OEBPS/text/ch1.xhtml",
                        // A self-closed style (XHTML) that an HTML parser would read as the start of raw text.
                        "<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>One</title>"
                                + "<style/></head><body><section><h1>Chapter One: The Storm</h1><p>The keeper climbed"
                                + " the ninety-seven steps<sup>1</sup> to light the lamp.</p></section></body></html>",
                        "OEBPS/text/chapter 2.xhtml",
                        TestBooks.xhtml(
                                "Chapter Two: The Rescue",
                                "<h1>Chapter Two: The Rescue</h1><p>He brought three sailors back before the tide"
                                        + " turned.</p>"),
                        "OEBPS/text/notes.xhtml",
                        TestBooks.xhtml("Notes", "<p>1. The steps were counted in 1871.</p>"),
                        "OEBPS/cover.svg",
                        "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>Cover words</text></svg>"));
        assertThat(parser.detect(book, "keeper.epub")).isEqualTo(EpubBooks.TYPE);
        ParsedDocument doc = parser.parse(book, EpubBooks.TYPE);
        assertThat(doc.paged()).isTrue();
        assertThat(doc.title()).isEqualTo("The Lighthouse Keeper");
        // The two chapters in reading order, then the notes (not linear: reached by link), without the contents.
        assertThat(doc.pages()).hasSize(3);
        assertThat(doc.pages().get(0).text().strip())
                .startsWith("Chapter One: The Storm")
                .contains("the ninety-seven steps¹ to light the lamp.")
                .doesNotContain("Rescue");
        assertThat(doc.pages().get(1).text().strip())
                .startsWith("Chapter Two: The Rescue")
                .contains("He brought three sailors back before the tide turned.")
                .doesNotContain("Storm");
        assertThat(doc.pages().get(2).text().strip()).isEqualTo("1. The steps were counted in 1871.");
        String all = doc.pages().get(0).text() + doc.pages().get(1).text();
        assertThat(all).doesNotContain("Contents").doesNotContain("Cover words");
    }

    @Test
    void anEpub2BooksContentsPageIsLeftOutItsDeclaredCharsetReadAndAMissingSectionIsNamedInItsNote(@TempDir Path tmp)
            throws IOException {
        String opf = "<?xml version=\"1.0\"?><package xmlns=\"http://www.idpf.org/2007/opf\" version=\"2.0\">"
                + "<metadata/><manifest>"
                + "<item id=\"toc\" href=\"contents.html\" media-type=\"application/xhtml+xml\"/>"
                + "<item id=\"c1\" href=\"caf[1].html\" media-type=\"text/html; charset=iso-8859-1\"/>"
                + "<item id=\"c2\" href=\"two.xhtml\"/>"
                + "</manifest><spine><itemref idref=\"toc\"/><itemref idref=\"c1\"/><itemref idref=\"c2\"/></spine>"
                + "<guide><reference type=\"toc\" title=\"Contents\" href=\"contents.html#top\"/></guide></package>";
        Path book = tmp.resolve("cafe.epub");
        TestBooks.epub(
                book,
                "",
                "",
                "",
                java.util.Map.of(
                        "OEBPS/content.opf",
                        opf,
                        "OEBPS/contents.html",
                        TestBooks.xhtml("Contents", "<p>Caf\u00e9 society</p><p>Second chapter</p>"),
                        "OEBPS/two.xhtml",
                        TestBooks.xhtml("Two", "<p>The second chapter, without a media type.</p>")));
        // The first chapter is Latin-1, as its declaration says (TestBooks writes UTF-8).
        byte[] latin1 = ("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><html xmlns=\"http://www.w3.org/1999/xhtml\">"
                        + "<head><title>One</title></head><body><p>Caf\u00e9 na\u00efve \u00fcber alles.</p></body></html>")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Path withLatin1 = tmp.resolve("cafe-full.epub");
        try (var in = new java.util.zip.ZipFile(book.toFile());
                var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(withLatin1))) {
            for (var e : java.util.Collections.list(in.entries())) {
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                in.getInputStream(e).transferTo(out);
            }
            out.putNextEntry(new java.util.zip.ZipEntry("OEBPS/caf[1].html"));
            out.write(latin1);
        }
        ParsedDocument doc = parser.parse(withLatin1, EpubBooks.TYPE);
        assertThat(doc.pages()).hasSize(2);
        assertThat(doc.pages().get(0).text().strip()).isEqualTo("Caf\u00e9 na\u00efve \u00fcber alles.");
        assertThat(doc.pages().get(1).text().strip()).isEqualTo("The second chapter, without a media type.");

        assertThat(doc.note()).isNull();

        // Without the Latin-1 chapter the package names a section the zip does not hold (Tika's parser fails on
        // such a book): the rest is read, and the note says what is missing.
        ParsedDocument partial = parser.parse(book, EpubBooks.TYPE);
        assertThat(partial.pages()).hasSize(1);
        assertThat(partial.pages().getFirst().text()).contains("The second chapter");
        assertThat(partial.note())
                .isEqualTo("1 section the book's package names is not in the file and could not be read: caf[1].html");
    }

    @Test
    void anEpubWithEncryptedTextFailsWithThatReasonAndOneWithObfuscatedFontsIsRead(@TempDir Path tmp)
            throws IOException {
        String manifest = "<item id=\"c1\" href=\"ch1.xhtml\" media-type=\"application/xhtml+xml\"/>";
        String spine = "<itemref idref=\"c1\"/>";
        java.util.Map<String, String> drm = java.util.Map.of(
                "OEBPS/ch1.xhtml",
                "\u0001\u0007 scrambled bytes",
                "META-INF/encryption.xml",
                encryption("http://www.w3.org/2001/04/xmlenc#aes128-cbc", "OEBPS/ch1.xhtml"));
        Path locked = TestBooks.epub(tmp.resolve("locked.epub"), "", manifest, spine, drm);
        assertThatThrownBy(() -> parser.parse(locked, EpubBooks.TYPE))
                .isInstanceOf(IngestException.BadFile.class)
                .hasMessageContaining("encrypted (DRM");

        java.util.Map<String, String> fonts = java.util.Map.of(
                "OEBPS/ch1.xhtml",
                TestBooks.xhtml("One", "<p>Fonts are obfuscated, words are not.</p>"),
                "META-INF/encryption.xml",
                encryption("http://www.idpf.org/2008/embedding", "OEBPS/font.otf"));
        Path open = TestBooks.epub(tmp.resolve("fonts.epub"), "", manifest, spine, fonts);
        assertThat(parser.parse(open, EpubBooks.TYPE).pages().getFirst().text())
                .contains("Fonts are obfuscated, words are not.");
    }

    @Test
    void anEpubWithABrokenContainerIsReadThroughItsOnlyPackageDocument(@TempDir Path tmp) throws IOException {
        Path book = TestBooks.epub(
                tmp.resolve("odd.epub"),
                "",
                "<item id=\"c1\" href=\"inside.xhtml\" media-type=\"application/xhtml+xml\"/>",
                "<itemref idref=\"c1\"/>",
                java.util.Map.of(
                        "META-INF/container.xml",
                        "not a container",
                        "OEBPS/inside.xhtml",
                        TestBooks.xhtml("In", "<p>Words inside the book.</p>")));
        // Tika's own parser gives up on such a file ("Content is not allowed in prolog").
        ParsedDocument doc = parser.parse(book, EpubBooks.TYPE);
        assertThat(doc.paged()).isTrue();
        assertThat(doc.pages()).hasSize(1);
        assertThat(doc.pages().getFirst().text()).contains("Words inside the book.");
        // A spine item pointing outside the container is no section.
        assertThat(EpubBooks.resolve("OEBPS/content.opf", "../../outside.xhtml"))
                .isNull();
        assertThat(EpubBooks.resolve("OEBPS/content.opf", "text/a%20b.xhtml#p2"))
                .isEqualTo("OEBPS/text/a b.xhtml");
        assertThat(EpubBooks.resolve("content.opf", "../OEBPS/x.xhtml")).isNull();
        assertThat(EpubBooks.resolve("OPS/content.opf", "../x.xhtml")).isEqualTo("x.xhtml");
    }

    private static String encryption(String algorithm, String uri) {
        return "<encryption xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\""
                + " xmlns:enc=\"http://www.w3.org/2001/04/xmlenc#\"><enc:EncryptedData><enc:EncryptionMethod Algorithm=\""
                + algorithm + "\"/><enc:CipherData><enc:CipherReference URI=\"" + uri
                + "\"/></enc:CipherData></enc:EncryptedData></encryption>";
    }
}
