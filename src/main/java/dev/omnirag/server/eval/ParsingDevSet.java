package dev.omnirag.server.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFSlide;
import org.apache.poi.xslf.usermodel.XSLFTextBox;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFTable;

/**
 * The parsing evaluation's own dev set: documents of the kinds people upload (a PDF whose text layer is garbage, a
 * scanned form, a chart image, a figure with words inside a text PDF, slides with speaker notes, a Word and a
 * spreadsheet file with tables, a two-column paper with hyphenation, a manual with a contents page, a field study with
 * raised citation numbers and a sentence over a page break, a damaged scan, a meeting's captions, a JSON export, an
 * Outlook message), written to a folder with {@code questions.tsv} (see {@link ParsingEvaluation}). Generated documents
 * are made here, deterministically; the real ones are copied from {@code ../shared/media}. Every fact asked about is
 * visible on the rendered page (or in the message, the captions, the file's text).
 *
 * <p>Long because it writes the evaluation's own test documents (PDFs with columns, tables, hyphenation) and their
 * questions in one place.
 */
public final class ParsingDevSet {

    /** One judged question: where the answer is and words the answer must hold. */
    public record Question(String file, List<Integer> pages, List<String> expected, String question) {
        String tsv() {
            return file + "\t"
                    + String.join(",", pages.stream().map(String::valueOf).toList()) + "\t" + String.join(";", expected)
                    + "\t" + question;
        }
    }

    private ParsingDevSet() {}

    /** A file attached to an Outlook message: its long file name, media type and bytes. */
    public record Attached(String name, String type, byte[] bytes) {}

    /**
     * A message as Outlook saves one ({@code .msg}: an OLE2 file of MAPI properties, built with POI): subject, sender's
     * name, display lists of recipients, submit time, a plain text body, and attachments by their long file names.
     */
    public static byte[] outlookMessage(
            String subject,
            String fromName,
            String toDisplay,
            String ccDisplay,
            java.time.Instant submitted,
            String body,
            List<Attached> attachments)
            throws IOException {
        try (var fs = new org.apache.poi.poifs.filesystem.POIFSFileSystem()) {
            var root = fs.getRoot();
            mapiString(root, "001A", "IPM.Note");
            mapiString(root, "0037", subject);
            mapiString(root, "0C1A", fromName);
            mapiString(root, "0E04", toDisplay);
            mapiString(root, "0E03", ccDisplay);
            mapiString(root, "1000", body.replace("\n", "\r\n"));
            // The top-level property stream: a 32-byte header (next ids, counts), then PR_CLIENT_SUBMIT_TIME as a
            // FILETIME (100 ns since 1601).
            java.nio.ByteBuffer props = java.nio.ByteBuffer.allocate(32 + 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            props.position(8);
            props.putInt(0).putInt(attachments.size()).putInt(0).putInt(attachments.size());
            props.position(32);
            props.putInt(0x00390040).putInt(6).putLong((submitted.toEpochMilli() + 11_644_473_600_000L) * 10_000L);
            root.createDocument("__properties_version1.0", new java.io.ByteArrayInputStream(props.array()));
            for (int i = 0; i < attachments.size(); i++) {
                Attached a = attachments.get(i);
                var dir = root.createDirectory(String.format("__attach_version1.0_#%08X", i));
                mapiString(dir, "3707", a.name());
                mapiString(dir, "370E", a.type());
                if (a.type().equals("application/vnd.ms-outlook")) {
                    // A message attached as a message: its streams in the attachment's object directory, its
                    // property stream with an attached message's 24-byte header.
                    var object = dir.createDirectory("__substg1.0_3701000D");
                    try (var inner = new org.apache.poi.poifs.filesystem.POIFSFileSystem(
                            new java.io.ByteArrayInputStream(a.bytes()))) {
                        for (var it = inner.getRoot().getEntries(); it.hasNext(); ) {
                            var e = it.next();
                            if (e.getName().equals("__properties_version1.0")
                                    && e instanceof org.apache.poi.poifs.filesystem.DocumentEntry d) {
                                byte[] p;
                                try (var in = new org.apache.poi.poifs.filesystem.DocumentInputStream(d)) {
                                    p = in.readAllBytes();
                                }
                                byte[] embedded = new byte[p.length - 8];
                                System.arraycopy(p, 0, embedded, 0, 24);
                                System.arraycopy(p, 32, embedded, 24, p.length - 32);
                                object.createDocument(e.getName(), new java.io.ByteArrayInputStream(embedded));
                            } else {
                                org.apache.poi.poifs.filesystem.EntryUtils.copyNodeRecursively(e, object);
                            }
                        }
                    }
                } else {
                    dir.createDocument("__substg1.0_37010102", new java.io.ByteArrayInputStream(a.bytes()));
                }
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            fs.writeFilesystem(out);
            return out.toByteArray();
        }
    }

    /** A MAPI string property ({@code PT_UNICODE}) as its own stream. */
    private static void mapiString(org.apache.poi.poifs.filesystem.DirectoryEntry dir, String id, String value)
            throws IOException {
        dir.createDocument(
                "__substg1.0_" + id + "001F",
                new java.io.ByteArrayInputStream(value.getBytes(java.nio.charset.StandardCharsets.UTF_16LE)));
    }

    /**
     * A meeting's transcript as Teams writes it: a voice tag per cue, sentences running over two cues, a speaker
     * named only by the tag.
     */
    private static final String MEETING = """
            WEBVTT

            7c1e-1/10-0
            00:00:02.040 --> 00:00:05.310
            <v Ada Lovelace>Morning all. First the budget, then the vendor contract.</v>

            7c1e-1/14-0
            00:00:05.900 --> 00:00:09.120
            <v Ada Lovelace>The quarterly review moves to Friday, because finance</v>

            7c1e-1/15-0
            00:00:09.120 --> 00:00:11.800
            <v Ada Lovelace>needs one more week to close the audit.</v>

            3d9a-2/4-0
            00:00:12.400 --> 00:00:16.050
            <v Charles Babbage>Fine by me. The travel limit stays at 5,000 euros a quarter.</v>

            5b2f-3/2-0
            00:00:16.700 --> 00:00:19.900
            <v Priya Raman>I will send the vendor contract to legal</v>

            5b2f-3/3-0
            00:00:19.900 --> 00:00:22.300
            <v Priya Raman>once the liability clause is fixed.</v>
            """;

    /** An export of a policy as JSON, the way a system hands its settings over. */
    private static final String EXPENSES = """
            {
              "policy": "Travel and expenses",
              "owner": "Finance",
              "rules": [
                {"item": "per diem abroad", "limit": "60 EUR per day", "approver": "line manager"},
                {"item": "per diem at home", "limit": "35 EUR per day", "approver": "line manager"},
                {"item": "hotel", "limit": "150 EUR per night", "approver": "finance"}
              ]
            }
            """;

    /** Writes the documents and {@code questions.tsv} into {@code dir}; returns the questions. */
    public static List<Question> write(Path dir, Path sharedMedia) throws IOException {
        Files.createDirectories(dir);
        List<Question> q = new ArrayList<>();
        wordWithTable(dir.resolve("engines.docx"));
        q.add(new Question("engines.docx", List.of(), List.of("12.4"), "What throughput did SpiderMonkey reach?"));
        q.add(new Question("engines.docx", List.of(), List.of("9 ms"), "What latency did Hermes have?"));
        q.add(new Question(
                "engines.docx", List.of(), List.of("Lena Ortiz"), "Who is the project lead of the engine benchmark?"));
        spreadsheet(dir.resolve("regions.xlsx"));
        q.add(new Question("regions.xlsx", List.of(2), List.of("12.5"), "What revenue did Northern Europe make?"));
        q.add(new Question("regions.xlsx", List.of(3), List.of("Porto"), "Which office does Marta Silva work in?"));
        slides(dir.resolve("roadmap.pptx"));
        q.add(new Question(
                "roadmap.pptx", List.of(2), List.of("March"), "When will the archive move to cold storage?"));
        q.add(new Question("roadmap.pptx", List.of(2), List.of("40,000"), "What is the budget for the migration?"));
        q.add(new Question("roadmap.pptx", List.of(3), List.of("vendor"), "What is the main risk of the roadmap?"));
        ImageIO.write(chart(), "png", dir.resolve("rainfall-chart.png").toFile());
        q.add(new Question("rainfall-chart.png", List.of(1), List.of("Lisbon"), "Monthly rainfall in Lisbon chart"));
        figureReport(dir.resolve("cooling-report.pdf"));
        q.add(new Question(
                "cooling-report.pdf",
                List.of(1),
                List.of("4.2 bar"),
                "What pressure did the pump peak at during the stress test?"));
        pdfTable(dir.resolve("fleet-report.pdf"));
        q.add(new Question(
                "fleet-report.pdf",
                List.of(1),
                List.of("4,120"),
                "How many kilometres did the Lisbon depot's vans drive?"));
        q.add(new Question(
                "fleet-report.pdf", List.of(1), List.of("Oslo"), "Which depot had the lowest fuel use per 100 km?"));
        newsletter(dir.resolve("newsletter.pdf"), true);
        q.add(new Question(
                "newsletter.pdf",
                List.of(1),
                List.of("retreated by forty metres"),
                "How far did the glaciers in the northern valley retreat?"));
        q.add(new Question(
                "newsletter.pdf",
                List.of(1),
                List.of("eleven years of planning"),
                "How long was the observatory on the ridge planned?"));
        orchardTable(dir.resolve("orchard.pdf"));
        q.add(new Question(
                "orchard.pdf", List.of(1), List.of("lower branches"), "How are apples picked in the orchard?"));
        manual(dir.resolve("router-manual.pdf"));
        q.add(new Question(
                "router-manual.pdf",
                List.of(9),
                List.of("no internet connection"),
                "What does it mean when the status light is red?"));
        q.add(new Question("router-manual.pdf", List.of(6), List.of("network name"), "Wireless settings"));
        q.add(new Question("router-manual.pdf", List.of(7), List.of("ten seconds"), "How do I reset the router?"));
        q.add(new Question(
                "router-manual.pdf",
                List.of(5),
                List.of("Choose PPPoE", "Click Save"),
                "How do I connect with PPPoE?"));
        fieldStudy(dir.resolve("field-study.pdf"));
        q.add(new Question(
                "field-study.pdf",
                List.of(1),
                List.of("10⁸"),
                "How many bacteria were counted per gram of soil under clover?"));
        q.add(new Question(
                "field-study.pdf",
                List.of(1, 2),
                List.of("clover", "fourteen percent"),
                "How much higher was the wheat yield after clover than after fallow?"));
        scannedForm(dir.resolve("claim-form.pdf"));
        q.add(new Question(
                "claim-form.pdf", List.of(1), List.of("88-4411"), "What is the policy number on the claim form?"));
        Files.copy(
                sharedMedia.resolve("pdf/tracemonkey.pdf"),
                dir.resolve("tracemonkey.pdf"),
                StandardCopyOption.REPLACE_EXISTING);
        q.add(new Question(
                "tracemonkey.pdf",
                List.of(2),
                List.of("2x-20x"),
                "What speedup does TraceMonkey give for traceable programs?"));
        q.add(new Question(
                "tracemonkey.pdf",
                List.of(2, 8),
                List.of("SpiderMonkey"),
                "Which JavaScript engine is TraceMonkey built on?"));
        try (PDDocument doc =
                Loader.loadPDF(sharedMedia.resolve("pdf/TAMReview.pdf").toFile())) {
            while (doc.getNumberOfPages() > 3) {
                doc.removePage(doc.getNumberOfPages() - 1);
            }
            doc.save(dir.resolve("tam-review.pdf").toFile());
        }
        q.add(new Question(
                "tam-review.pdf",
                List.of(2, 3),
                List.of("usefulness"),
                "What do perceived usefulness and perceived ease of use predict?"));
        Files.copy(
                sharedMedia.resolve("pdf/scan-bad.pdf"),
                dir.resolve("scan-bad.pdf"),
                StandardCopyOption.REPLACE_EXISTING);
        q.add(new Question("scan-bad.pdf", List.of(1), List.of("pdf.js"), "pdf.js"));
        Files.writeString(dir.resolve("standup.vtt"), MEETING);
        q.add(new Question(
                "standup.vtt", List.of(), List.of("audit"), "Why does the quarterly review move to Friday?"));
        q.add(new Question("standup.vtt", List.of(), List.of("Priya"), "Who will send the vendor contract to legal?"));
        Files.write(
                dir.resolve("site-visit.msg"),
                outlookMessage(
                        "Site visit to the Porto warehouse",
                        "Joana Reis",
                        "Facilities team",
                        "Priya Raman",
                        java.time.Instant.parse("2026-02-10T08:30:00Z"),
                        "Hello all,\n\nThe site visit to the Porto warehouse is on 24 February. We meet at gate 3 at"
                                + " nine; bring safety boots.\n\nJoana",
                        List.of(new Attached(
                                "agenda.txt",
                                "text/plain",
                                "Agenda: loading bays, the new sprinkler system, lunch with the site manager.\n"
                                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
        q.add(new Question(
                "site-visit.msg", List.of(), List.of("gate 3"), "Where do we meet for the Porto warehouse visit?"));
        q.add(new Question(
                "site-visit.msg", List.of(), List.of("sprinkler"), "What is on the agenda of the site visit?"));
        Files.writeString(dir.resolve("expense-policy.json"), EXPENSES);
        q.add(new Question(
                "expense-policy.json", List.of(), List.of("60 EUR"), "What is the per diem for travel abroad?"));
        List<String> lines = new ArrayList<>();
        lines.add("# file\tpages\texpected words\tquestion");
        q.forEach(x -> lines.add(x.tsv()));
        Files.write(dir.resolve("questions.tsv"), lines);
        return q;
    }

    /** Reads a questions file: file, pages (comma separated, empty: any), expected words (semicolon separated), question. */
    public static List<Question> read(Path tsv) throws IOException {
        List<Question> out = new ArrayList<>();
        for (String line : Files.readAllLines(tsv)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 4) {
                throw new IllegalArgumentException(
                        "a question line needs 4 tab-separated fields (file, pages, expected "
                                + "words, question); line=" + line);
            }
            List<Integer> pages = new ArrayList<>();
            for (String p : f[1].split(",")) {
                if (!p.isBlank()) {
                    pages.add(Integer.parseInt(p.strip()));
                }
            }
            List<String> expected = new ArrayList<>();
            for (String e : f[2].split(";")) {
                if (!e.isBlank()) {
                    expected.add(e.strip());
                }
            }
            out.add(new Question(f[0].strip(), pages, expected, f[3].strip()));
        }
        return out;
    }

    private static void wordWithTable(Path file) throws IOException {
        try (XWPFDocument doc = new XWPFDocument();
                OutputStream out = Files.newOutputStream(file)) {
            doc.createParagraph().createRun().setText("Engine benchmark 2026");
            doc.createParagraph()
                    .createRun()
                    .setText(
                            "The benchmark compared four JavaScript engines on one machine "
                                    + "with the same suite of workloads. Project lead: Dr. Lena Ortiz, who also chairs the safety board.");
            String[][] rows = {
                {"Engine", "Throughput", "Latency"},
                {"V8", "10.2 GB/s", "3 ms"},
                {"SpiderMonkey", "12.4 GB/s", "4 ms"},
                {"JavaScriptCore", "9.8 GB/s", "5 ms"},
                {"Hermes", "4.1 GB/s", "9 ms"}
            };
            XWPFTable table = doc.createTable(rows.length, 3);
            for (int r = 0; r < rows.length; r++) {
                for (int c = 0; c < 3; c++) {
                    table.getRow(r).getCell(c).setText(rows[r][c]);
                }
            }
            doc.createParagraph()
                    .createRun()
                    .setText("Each engine ran the suite five times and the median run is "
                            + "reported. Machines were rebooted between engines so that caches started cold.");
            doc.write(out);
        }
    }

    private static void spreadsheet(Path file) throws IOException {
        try (XSSFWorkbook book = new XSSFWorkbook();
                OutputStream out = Files.newOutputStream(file)) {
            book.createSheet("Notes")
                    .createRow(0)
                    .createCell(0)
                    .setCellValue("Figures are in millions of euros for the fiscal year 2026.");
            fill(book.createSheet("Regions"), new String[][] {
                {"Region", "Revenue", "Growth"},
                {"Northern Europe", "12.5", "3%"},
                {"Southern Europe", "9.1", "2%"},
                {"North America", "20.4", "5%"},
                {"South America", "6.3", "7%"},
                {"Asia Pacific", "15.8", "9%"}
            });
            fill(book.createSheet("Staff"), new String[][] {
                {"Name", "Role", "Office"},
                {"Lena Ortiz", "Project lead", "Lisbon"},
                {"Marta Silva", "Analyst", "Porto"},
                {"Jonas Berg", "Engineer", "Oslo"}
            });
            book.write(out);
        }
    }

    private static void fill(XSSFSheet sheet, String[][] rows) {
        for (int r = 0; r < rows.length; r++) {
            var row = sheet.createRow(r);
            for (int c = 0; c < rows[r].length; c++) {
                row.createCell(c).setCellValue(rows[r][c]);
            }
        }
    }

    private static void slides(Path file) throws IOException {
        try (XMLSlideShow deck = new XMLSlideShow();
                OutputStream out = Files.newOutputStream(file)) {
            slide(deck, "Roadmap 2027", "Plans of the platform team for the coming year", null);
            slide(
                    deck,
                    "Migration plan",
                    "Move the archive to cold storage by March\nRetire the legacy search cluster " + "in June",
                    "Budget for the migration is 40,000 euros, approved by the board.");
            slide(
                    deck,
                    "Risks",
                    "The main risk is vendor lock-in of the storage provider\nStaff turnover in the "
                            + "operations team",
                    null);
            deck.write(out);
        }
    }

    private static void slide(XMLSlideShow deck, String title, String body, String notes) {
        XSLFSlide slide = deck.createSlide();
        XSLFTextBox t = slide.createTextBox();
        t.setAnchor(new java.awt.geom.Rectangle2D.Double(40, 30, 620, 60));
        t.setText(title);
        XSLFTextBox b = slide.createTextBox();
        b.setAnchor(new java.awt.geom.Rectangle2D.Double(40, 110, 620, 300));
        b.setText(body);
        if (notes != null) {
            deck.getNotesSlide(slide).getPlaceholder(1).setText(notes);
        }
    }

    /** A bar chart whose only words are pixels: title, month labels and values. */
    static BufferedImage chart() {
        BufferedImage img = new BufferedImage(1200, 800, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 1200, 800);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 44));
        g.drawString("Monthly rainfall in Lisbon (mm)", 150, 80);
        String[] months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun"};
        int[] mm = {99, 88, 61, 65, 51, 18};
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 34));
        g.setStroke(new BasicStroke(3));
        g.drawLine(100, 700, 1150, 700);
        for (int i = 0; i < months.length; i++) {
            int x = 140 + i * 170;
            int h = mm[i] * 5;
            g.setColor(new Color(70, 110, 180));
            g.fillRect(x, 700 - h, 100, h);
            g.setColor(Color.BLACK);
            g.drawString(String.valueOf(mm[i]), x + 25, 690 - h);
            g.drawString(months[i], x + 20, 750);
        }
        g.dispose();
        return img;
    }

    /**
     * A text PDF page with a figure whose words exist only as pixels (a screenshot of a measurement), drawn at
     * x 60..530 and y 500..621 points (bottom-left origin) of an A4 page.
     */
    public static void figureReport(Path file) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            BufferedImage shot = new BufferedImage(1400, 360, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = shot.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, 1400, 360);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 48));
            g.drawString("Stress test log, cooling loop B", 40, 90);
            g.drawString("Pump pressure peaked at 4.2 bar", 40, 190);
            g.drawString("Coolant temperature stayed below 61 C", 40, 290);
            g.dispose();
            PDImageXObject image = LosslessFactory.createFromImage(doc, shot);
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.beginText();
                cs.setFont(font, 12);
                cs.newLineAtOffset(60, 780);
                cs.showText("Cooling system report, section 3: test results.");
                cs.newLineAtOffset(0, -18);
                cs.showText("The figure below shows the log of the stress test of cooling loop B.");
                cs.endText();
                cs.drawImage(image, 60, 500, 470, 121);
                cs.beginText();
                cs.setFont(font, 12);
                cs.newLineAtOffset(60, 470);
                cs.showText("Figure 1. Stress test log.");
                cs.endText();
            }
            doc.save(file.toFile());
        }
    }

    /**
     * A text PDF with a table drawn as aligned text (no ruling lines, as most report generators write them): depots
     * with their kilometres and fuel use, rows at y 700, 684, ... points from the bottom of an A4 page.
     */
    public static void pdfTable(Path file) throws IOException {
        String[][] rows = {
            {"Depot", "Vans", "Kilometres", "Fuel per 100 km"},
            {"Lisbon", "12", "4,120", "9.8 l"},
            {"Porto", "8", "2,940", "10.4 l"},
            {"Oslo", "15", "5,310", "7.2 l"},
            {"Hamburg", "10", "3,875", "8.9 l"}
        };
        alignedTable(
                file,
                List.of(
                        "Fleet report for the second quarter.",
                        "The table lists each depot with its vans, distance driven and fuel use."),
                new float[] {60, 180, 250, 350},
                rows,
                List.of("Electric vans will replace the oldest diesel vans from next year."));
    }

    /**
     * A text PDF (A4, Helvetica 11 pt) with a table drawn as aligned text, no ruling: the {@code above} lines from
     * y 780 pt (18 pt apart), the rows from y 720 pt (16 pt apart), each cell at its column's x (a null cell is left
     * empty, as on a wrapped cell's second line), then the {@code below} lines two rows under the last, from the
     * first column's x.
     */
    public static void alignedTable(Path file, List<String> above, float[] columns, String[][] rows, List<String> below)
            throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                for (int i = 0; i < above.size(); i++) {
                    line(cs, font, columns[0], 780 - 18 * i, above.get(i));
                }
                for (int r = 0; r < rows.length; r++) {
                    for (int c = 0; c < rows[r].length; c++) {
                        if (rows[r][c] != null) {
                            line(cs, font, columns[c], 720 - 16 * r, rows[r][c]);
                        }
                    }
                }
                for (int i = 0; i < below.size(); i++) {
                    line(cs, font, columns[0], 720 - 16 * (rows.length + 1) - 18 * i, below.get(i));
                }
            }
            doc.save(file.toFile());
        }
    }

    /** The sections of {@link #manual}: a heading and its text, a page each from page 3. */
    public static final List<List<String>> MANUAL_SECTIONS = List.of(
            List.of(
                    "1 Safety instructions",
                    "Keep the router away from water and heat sources. Use only the power adapter supplied in the box;"
                            + " another adapter can damage the device and voids the warranty. Do not open the case:"
                            + " there are no user-serviceable parts inside."),
            List.of(
                    "2 Installing the router",
                    "Place the router in a central, elevated location. Connect the grey WAN cable from your modem to"
                            + " the yellow port marked INTERNET. Plug in the power adapter and press the power button;"
                            + " the status light turns solid green after about two minutes."),
            List.of(
                    "3 Connecting to the internet",
                    "Open a browser on a connected computer and go to the router's address. The setup wizard asks"
                            + " for the connection type your provider uses (DHCP, PPPoE or static).\n"
                            + "To connect with PPPoE:\n"
                            + "1. Choose PPPoE as the connection type.\n"
                            + "2. Enter the user name and password from your provider's letter.\n"
                            + "3. Click Save; the status light turns green when the router is online."),
            List.of(
                    "4 Wireless settings",
                    "The default network name and password are printed on the label under the router. You can"
                            + " change the network name, the password and the channel width on the Wireless page. We"
                            + " recommend WPA3 encryption where all of your devices support it."),
            List.of(
                    "5 Resetting the router",
                    "To restore the factory settings, hold the recessed RESET button on the back for ten seconds"
                            + " with a paper clip until the status light flashes amber. All of your settings,"
                            + " including the wireless password, are erased, and the router restarts with the"
                            + " defaults on its label."),
            List.of(
                    "6 Updating the firmware",
                    "The router checks for new firmware every night and installs it automatically when no device is"
                            + " streaming. To update by hand, download the file from the support site and upload it"
                            + " on the Administration page; do not switch off the router during the update."),
            List.of(
                    "7 Troubleshooting",
                    "If the status light is red, the router has no internet connection: check the cable to the"
                            + " modem and restart both devices. If the wireless signal is weak in some rooms, move the"
                            + " router higher or add a mesh satellite. Slow speeds are often caused by interference"
                            + " from microwave ovens."),
            List.of(
                    "8 Warranty",
                    "The router is covered by a two-year limited warranty from the date of purchase. Keep your"
                            + " receipt. The warranty does not cover damage from lightning, water or unauthorised"
                            + " repairs."));

    /**
     * A product manual (A4 text PDF, lines 16 pt apart in 11 pt type): a title page, a contents page whose entries
     * run to their page numbers over dot leaders, then {@link #MANUAL_SECTIONS}, one page each (pages 3 to 10; a line
     * break in a section's text starts a new line, as before a numbered step).
     */
    public static void manual(Path file) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            List<List<String>> pages = new ArrayList<>();
            pages.add(List.of("Model AX3000 Wireless Router", "", "User manual, version 2.1"));
            List<String> contents = new ArrayList<>(List.of("Contents", ""));
            for (int i = 0; i < MANUAL_SECTIONS.size(); i++) {
                StringBuilder entry = new StringBuilder(MANUAL_SECTIONS.get(i).getFirst()).append(' ');
                while (entry.length() < 70) {
                    entry.append('.');
                }
                contents.add(entry.append(' ').append(i + 3).toString());
            }
            pages.add(contents);
            for (List<String> section : MANUAL_SECTIONS) {
                List<String> lines = new ArrayList<>(List.of(section.getFirst(), ""));
                for (String paragraph : section.get(1).split("\n")) {
                    StringBuilder line = new StringBuilder();
                    for (String word : paragraph.split(" ")) {
                        if (line.length() + word.length() > 85) {
                            lines.add(line.toString().strip());
                            line.setLength(0);
                        }
                        line.append(word).append(' ');
                    }
                    lines.add(line.toString().strip());
                }
                pages.add(lines);
            }
            for (List<String> lines : pages) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    for (int i = 0; i < lines.size(); i++) {
                        if (!lines.get(i).isEmpty()) {
                            line(cs, font, 60, 780 - 16 * i, lines.get(i));
                        }
                    }
                }
            }
            doc.save(file.toFile());
        }
    }

    /**
     * {@link #fieldStudy}'s pages, a printed line each; {@code ^{…}} is set raised and smaller, a line starting with
     * {@code ~} is a footnote, set in 8 pt.
     */
    public static final List<List<String>> FIELD_STUDY = List.of(
            List.of(
                    "Cover crops and soil nitrogen: a three-year field study",
                    "",
                    "Cover crops sown after the autumn harvest kept nitrate in the topsoil through the",
                    "winter, as earlier trials had suggested.^{1,2} Clover fixed the most nitrogen of the four",
                    "species we sowed.^{3} The bacterial count under clover reached 4 × 10^{8} cells per gram",
                    "of soil, against 9 × 10^{6} under bare fallow.",
                    "",
                    "In the third year the plots sown with clover gave a wheat yield that was higher than",
                    "the yield of the fallow plots, measured at the same farm and in the same week, by",
                    "",
                    "~3 Clover was sown at 20 kg of seed per hectare."),
            List.of(
                    "fourteen percent, and the rye plots by nine percent. Weeds were fewer under rye than",
                    "under any other cover crop.^{4} Mustard gave the least benefit of the four.",
                    "",
                    "Methods",
                    "",
                    "Each plot covered 240 m^{2} and was sampled to a depth of 30 cm every March.",
                    "",
                    "~4 Counted in June on ten quadrats of one square metre each."),
            List.of(
                    "References",
                    "",
                    "1. Hart, M. Nitrate leaching under winter cover. Soil Use 12 (2019) 44–51.",
                    "2. Okafor, C. Catch crops in cool climates. Agronomy 8 (2021) 101–109.",
                    "3. Lind, P. Legume nitrogen budgets. Plant and Soil 30 (2018) 7–15."));

    /**
     * A field study's report (A4 text PDF, 11 pt type, a running footer): {@link #FIELD_STUDY}, whose citation
     * numbers are set raised with the text rise operator (as LaTeX and many tools do) and whose exponents and units
     * as smaller glyphs placed higher (as Word does), whose first page ends mid-sentence above a footnote.
     */
    public static void fieldStudy(Path file) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (int p = 0; p < FIELD_STUDY.size(); p++) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                List<String> lines = FIELD_STUDY.get(p);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    for (int i = 0; i < lines.size(); i++) {
                        raisedLine(cs, font, 60, 780 - 14 * i, lines.get(i), p == 0);
                    }
                    line(cs, font, 60, 50, "Soil Research Station, field study 2026, page " + (p + 1) + " of 3");
                }
            }
            doc.save(file.toFile());
        }
    }

    /**
     * One line whose {@code ^{…}} parts are set in 7 pt, 4 pt higher: with the text rise operator ({@code rise}) or
     * each part in a text object of its own placed higher.
     */
    private static void raisedLine(
            PDPageContentStream cs, PDType1Font font, float x, float y, String text, boolean rise) throws IOException {
        if (text.startsWith("~")) {
            cs.beginText();
            cs.setFont(font, 8);
            cs.newLineAtOffset(x, y);
            cs.showText(text.substring(1));
            cs.endText();
            return;
        }
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("\\^\\{([^}]*)}").matcher(text);
        List<String[]> parts = new ArrayList<>();
        int at = 0;
        while (m.find()) {
            parts.add(new String[] {text.substring(at, m.start()), ""});
            parts.add(new String[] {m.group(1), "raised"});
            at = m.end();
        }
        parts.add(new String[] {text.substring(at), ""});
        float left = x;
        if (rise) {
            cs.beginText();
            cs.newLineAtOffset(x, y);
        }
        for (String[] part : parts) {
            if (part[0].isEmpty()) {
                continue;
            }
            boolean raised = !part[1].isEmpty();
            float size = raised ? 7 : 11;
            if (rise) {
                cs.setFont(font, size);
                cs.setTextRise(raised ? 4 : 0);
                cs.showText(part[0]);
            } else {
                cs.beginText();
                cs.setFont(font, size);
                cs.newLineAtOffset(left, raised ? y + 4 : y);
                cs.showText(part[0]);
                cs.endText();
            }
            left += font.getStringWidth(part[0]) / 1000 * size;
        }
        if (rise) {
            cs.endText();
        }
    }

    /** The left column of {@link #newsletter}, a printed line each; its sentences run across line ends. */
    public static final List<String> NEWSLETTER_LEFT = List.of(
            "Glaciers in the northern valley retreated by",
            "forty metres during the last decade, which the",
            "survey team measured with repeated drone flights.",
            "The meltwater feeds three lakes whose levels rose",
            "steadily until the dam was rebuilt in spring.",
            "Local farmers now draw irrigation water from the",
            "upper lake, and the council monitors its quality",
            "every month with samples sent to the laboratory.",
            "Ice cores from the summit record volcanic ash",
            "layers that date the oldest ice to nine centuries.");
    /** The right column of {@link #newsletter}. */
    public static final List<String> NEWSLETTER_RIGHT = List.of(
            "The observatory on the ridge opened in autumn",
            "after eleven years of planning and two failed",
            "attempts to secure funding from the ministry.",
            "Its main telescope tracks comets and asteroids",
            "that cross the orbit of the earth each year.",
            "Visitors may book guided night tours through",
            "the tourist office in the village below, where",
            "the exhibition explains how mirrors are ground.",
            "A solar array on the roof powers the instruments",
            "and heats the dormitory used by the astronomers.");

    /**
     * A newsletter page of two columns of prose (left from x 50 pt, right from x 320 pt of an A4 page); with
     * {@code interleaved} drawn as some producers do, a row at a time across both columns (so the text layer reads
     * "left line 1 right line 1 left line 2 …"), else one column after the other.
     */
    public static void newsletter(Path file, boolean interleaved) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                int rows = NEWSLETTER_LEFT.size();
                for (int i = 0; i < (interleaved ? rows : 2 * rows); i++) {
                    if (interleaved) {
                        column(cs, font, 50, i, NEWSLETTER_LEFT.get(i));
                        column(cs, font, 320, i, NEWSLETTER_RIGHT.get(i));
                    } else if (i < rows) {
                        column(cs, font, 50, i, NEWSLETTER_LEFT.get(i));
                    } else {
                        column(cs, font, 320, i - rows, NEWSLETTER_RIGHT.get(i - rows));
                    }
                }
            }
            doc.save(file.toFile());
        }
    }

    private static void column(PDPageContentStream cs, PDType1Font font, float x, int row, String text)
            throws IOException {
        cs.beginText();
        cs.setFont(font, 10);
        cs.newLineAtOffset(x, 780 - 14 * row);
        cs.showText(text);
        cs.endText();
    }

    /** A table of words only, drawn as aligned text, whose Notes cell wraps onto a second line in one row. */
    private static void orchardTable(Path file) throws IOException {
        String[][] rows = {
            {"Fruit", "Colour", "Notes"},
            {"Apple", "Red or green", "Picked by hand from the"},
            {null, null, "lower branches first"},
            {"Lemon", "Yellow", "Ripens in winter"},
            {"Cherry", "Dark red", "Netted against birds"}
        };
        alignedTable(
                file,
                List.of("The orchard's fruit and how each is grown."),
                new float[] {60, 180, 300},
                rows,
                List.of("Pears and plums are grown in the walled garden."));
    }

    private static void line(PDPageContentStream cs, PDType1Font font, float x, float y, String text)
            throws IOException {
        cs.beginText();
        cs.setFont(font, 11);
        cs.newLineAtOffset(x, y);
        cs.showText(text);
        cs.endText();
    }

    /** A form printed, filled in and scanned: a page that is one image. */
    private static void scannedForm(Path file) throws IOException {
        BufferedImage scan = new BufferedImage(1240, 1754, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = scan.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(245, 245, 245));
        g.fillRect(0, 0, 1240, 1754);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SERIF, Font.BOLD, 48));
        g.drawString("Insurance claim form", 120, 160);
        g.setFont(new Font(Font.SERIF, Font.PLAIN, 36));
        String[] fields = {
            "Name of insured: Lena Ortiz",
            "Policy number: 88-4411",
            "Date of loss: 14 March 2026",
            "Cause of loss: water damage in the kitchen",
            "Amount claimed: 2,300 euros"
        };
        for (int i = 0; i < fields.length; i++) {
            g.drawString(fields[i], 120, 300 + i * 90);
            g.drawLine(120, 315 + i * 90, 1100, 315 + i * 90);
        }
        g.dispose();
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            PDImageXObject image = LosslessFactory.createFromImage(doc, scan);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.drawImage(image, 0, 0, PDRectangle.A4.getWidth(), PDRectangle.A4.getHeight());
            }
            doc.save(file.toFile());
        }
    }

    /** {@code ParsingDevSet OUT_DIR [SHARED_MEDIA]}: writes the dev set. */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: ParsingDevSet OUT_DIR [SHARED_MEDIA (default ../shared/media)]");
        }
        Path shared = Path.of(args.length > 1 ? args[1] : "../shared/media");
        try {
            List<Question> q = write(Path.of(args[0]), shared);
            System.out.println("[parse-eval] wrote " + q.size() + " questions and their documents to " + args[0]);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
