package dev.omnirag.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnirag.server.Mails;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** E-mail: a message read with its people, date and attachments; a mailbox split into its messages. */
class MailMessagesTest extends WithRealOcr {

    private static final Instant SENT = Instant.parse("2025-12-06T05:46:40Z");

    @Test
    void aMessageIsReadWithItsSubjectPeopleDateBodyAndTheTextOfItsAttachments(@TempDir Path tmp) throws IOException {
        Path pdf = tmp.resolve("quote.pdf");
        try (var doc = DocumentParserTest.pagesOf(List.of("Riverside hall quote: two nights, catering included"))) {
            doc.save(pdf.toFile());
        }
        byte[] forwarded = Mails.plain(
                "Catering menu",
                "Chef Rui <rui@example.org>",
                "alice@example.com",
                SENT.minusSeconds(86_400),
                "The menu has grilled sardines and a vegetarian cataplana.");
        byte[] eml = Mails.message(
                "Re: Budget for the Lisbon offsite",
                "Alice Martin <alice@example.com>",
                List.of("Bob Chen <bob@example.com>", "carol@example.com"),
                SENT,
                "Hi Bob,\n\nThe venue quote came in at 14,200 EUR.\n\n> Can you check the venue?\n",
                "<p>Hi Bob,</p><p>The venue quote came in at <b>14,200 EUR</b>.</p>"
                        + "<blockquote>Can you check the venue?</blockquote>",
                List.of(
                        new Mails.Attachment("quote.pdf", "application/pdf", Files.readAllBytes(pdf)),
                        new Mails.Attachment("items.txt", "text/plain", "Room hire 9000\nCatering 5200\n".getBytes()),
                        new Mails.Attachment("menu.eml", "message/rfc822", forwarded),
                        new Mails.Attachment("tools.zip", "application/zip", new byte[] {'P', 'K', 5, 6, 0, 0})));
        Path file = tmp.resolve("reply.eml");
        Files.write(file, eml);

        DocumentParser parser = new DocumentParser(false);
        String type = parser.detect(file, "reply.eml");
        ParsedDocument parsed = parser.parse(file, type, "reply.eml");

        assertThat(type).isEqualTo("message/rfc822");
        assertThat(parsed.paged()).isFalse();
        String text = parsed.pages().getFirst().text();
        assertThat(text)
                .startsWith("Re: Budget for the Lisbon offsite\n"
                        + "From: Alice Martin\n"
                        + "To: Bob Chen, carol@example.com\n"
                        + "Date: 6 December 2025\n")
                .contains("The venue quote came in at 14,200 EUR.")
                .contains("Can you check the venue?");
        assertThat(text.indexOf("Riverside hall quote")).isGreaterThan(text.indexOf("Attachment: quote.pdf"));
        assertThat(text.indexOf("Catering 5200")).isGreaterThan(text.indexOf("Attachment: items.txt"));
        int menu = text.indexOf("Attachment: menu.eml");
        assertThat(text.indexOf("Catering menu\nFrom: Chef Rui\n")).isGreaterThan(menu);
        assertThat(text.indexOf("grilled sardines")).isGreaterThan(menu);
        assertThat(text).contains("Attachment: tools.zip");
        assertThat(parsed.note()).contains("tools.zip (application/zip) is not read");
        assertThat(parsed.pages().getFirst().regions())
                .as("each attachment is chunked apart from the message and the others")
                .extracting(r -> text.substring(r.charStart(), r.charEnd())
                        .lines()
                        .findFirst()
                        .orElse(""))
                .containsExactly(
                        "Attachment: quote.pdf",
                        "Attachment: items.txt",
                        "Attachment: menu.eml",
                        "Attachment: tools.zip");
        assertThat(text).doesNotContain("14,200 EUR.\n\n\n");
    }

    @Test
    void anOutlookMessageIsReadLikeAnEmlWithItsPeopleDateBodyAndAttachments(@TempDir Path tmp) throws IOException {
        byte[] msg = Mails.outlook(
                "Flutter test moved to Tuesday",
                "Marek Nowak",
                "Jane Doe; Ada Lovelace",
                "Charles Babbage",
                SENT,
                "Hi all,\n\nThe flutter test in the wind tunnel moves to Tuesday. Bring the strain gauges.\n\nMarek",
                List.of(
                        new Mails.Attachment(
                                "gauges.txt",
                                "text/plain",
                                "Strain gauge serial numbers: SG-4411 and SG-4412.\n".getBytes()),
                        // A message forwarded as an attachment: Outlook keeps it as a message inside the message.
                        new Mails.Attachment(
                                "Wind tunnel booking",
                                "application/vnd.ms-outlook",
                                Mails.outlook(
                                        "Wind tunnel booking",
                                        "Jane Doe",
                                        "Marek Nowak",
                                        "",
                                        SENT.minusSeconds(86_400),
                                        "The tunnel is booked for Tuesday and Wednesday.",
                                        List.of()))));
        Path file = Files.write(tmp.resolve("flutter.msg"), msg);

        DocumentParser parser = new DocumentParser(false);
        String type = parser.detect(file, "flutter.msg");
        assertThat(type).isEqualTo("application/vnd.ms-outlook");
        assertThat(parser.supports(type)).isTrue();
        ParsedDocument parsed = parser.parse(file, type, "flutter.msg");
        String text = parsed.pages().getFirst().text();
        // The heading Tika writes before an Outlook body (subject, From, To, Cc) is not read twice.
        assertThat(text)
                .startsWith("Flutter test moved to Tuesday\n"
                        + "From: Marek Nowak\n"
                        + "To: Jane Doe, Ada Lovelace\n"
                        + "Cc: Charles Babbage\n"
                        + "Date: 6 December 2025\n\n"
                        + "Hi all,")
                .contains("The flutter test in the wind tunnel moves to Tuesday.")
                .containsOnlyOnce("Flutter test moved to Tuesday")
                .containsOnlyOnce("Charles Babbage");
        assertThat(text.indexOf("SG-4411")).isGreaterThan(text.indexOf("Attachment: gauges.txt"));
        int forwarded = text.indexOf("Attachment: Wind tunnel booking");
        assertThat(text.indexOf("Wind tunnel booking\nFrom: Jane Doe\nTo: Marek Nowak\nDate: 5 December 2025"))
                .as(text)
                .isGreaterThan(forwarded);
        assertThat(text.indexOf("booked for Tuesday and Wednesday")).isGreaterThan(forwarded);
        assertThat(parsed.pages().getFirst().regions())
                .extracting(r -> text.substring(r.charStart(), r.charEnd())
                        .lines()
                        .findFirst()
                        .orElse(""))
                .containsExactly("Attachment: gauges.txt", "Attachment: Wind tunnel booking.msg");
    }

    @Test
    void aZipBombOrADamagedFileAttachedIsNamedInTheNoteAndTheMessageIsStillRead(@TempDir Path tmp) throws IOException {
        Path bomb = dev.omnirag.server.HostileFiles.docxBomb(tmp, 200).file();
        byte[] eml = Mails.message(
                "Quarterly numbers",
                "finance@example.org",
                List.of("board@example.org"),
                SENT,
                "Revenue grew nine percent in the third quarter.",
                "<p>Revenue grew nine percent in the third quarter.</p>",
                List.of(
                        new Mails.Attachment(
                                "../../numbers.docx",
                                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                Files.readAllBytes(bomb)),
                        new Mails.Attachment(
                                "broken.pdf",
                                "application/pdf",
                                "%PDF-1.7\n1 0 obj <<".getBytes(StandardCharsets.UTF_8))));
        Path file = tmp.resolve("numbers.eml");
        Files.write(file, eml);

        ParsedDocument parsed = new DocumentParser(false).parse(file, "message/rfc822", "numbers.eml");

        assertThat(parsed.pages().getFirst().text())
                .contains("Revenue grew nine percent in the third quarter.")
                .contains("Attachment: ../../numbers.docx")
                .contains("Attachment: broken.pdf");
        assertThat(parsed.note()).contains("../../numbers.docx is not read: the file looks like a zip bomb");
        assertThat(parsed.note()).contains("broken.pdf is not read:");
        assertThat(tmp.resolveSibling("numbers.docx")).doesNotExist();
    }

    @Test
    void anAppleMailMessageIsReadWithoutItsByteCountAndPropertyList(@TempDir Path tmp) throws IOException {
        byte[] message =
                Mails.plain("Lab keys", "tom@example.org", "lab@example.org", SENT, "The keys are at the desk.");
        Path emlx = tmp.resolve("1234.emlx");
        Files.write(
                emlx,
                (message.length + "      \n" + new String(message, StandardCharsets.UTF_8)
                                + "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict><key>flags</key>"
                                + "<integer>8590195713</integer></dict></plist>\n")
                        .getBytes(StandardCharsets.UTF_8));

        DocumentParser parser = new DocumentParser(false);
        String type = parser.detect(emlx, "1234.emlx");
        String text = parser.parse(emlx, type, "1234.emlx").pages().getFirst().text();

        assertThat(type).isEqualTo("message/x-emlx");
        assertThat(text)
                .startsWith("Lab keys\nFrom: tom@example.org\n")
                .contains("The keys are at the desk.")
                .doesNotContain("plist")
                .doesNotContain(String.valueOf(message.length));
    }

    @Test
    void aPictureAttachedToAMessageIsReadByOcrUnderItsName(@TempDir Path tmp) throws IOException {
        Path docx = OfficePicturesTest.report(
                tmp, List.of("The pump log is below."), List.of("Pump pressure peaked at four bar"), null);
        byte[] eml = Mails.message(
                "Whiteboard from the design review",
                "dana@example.com",
                List.of("team@example.com"),
                SENT,
                "Photo of the whiteboard attached, and the pump report.",
                "<p>Photo of the whiteboard attached, and the pump report.</p>",
                List.of(
                        new Mails.Attachment(
                                "whiteboard.png",
                                "image/png",
                                OfficePicturesTest.png(List.of("Ship the beta on Thursday", "freeze the schema"))),
                        new Mails.Attachment(
                                "pump.docx",
                                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                Files.readAllBytes(docx)),
                        new Mails.Attachment(
                                "signed.pdf",
                                "application/pdf",
                                scannedPdf(List.of("Contract signed by both parties", "on the first of May")))));
        Path file = tmp.resolve("review.eml");
        Files.write(file, eml);

        ParsedDocument parsed = new DocumentParser(false, media).parse(file, "message/rfc822", "review.eml");
        assertThat(parsed.pictures()).hasSize(3);
        ParsedDocument done = media.complete(parsed, file, "message/rfc822", (message, fraction) -> {});

        String text = done.pages().getFirst().text();
        String lower = text.toLowerCase(Locale.ROOT);
        int board = text.indexOf("Attachment: whiteboard.png");
        int report = text.indexOf("Attachment: pump.docx");
        assertThat(board).isPositive();
        assertThat(lower.indexOf("ship the beta on thursday"))
                .isGreaterThan(board)
                .isLessThan(report);
        assertThat(lower.indexOf("pump pressure peaked")).isGreaterThan(text.indexOf("The pump log is below."));
        assertThat(lower.indexOf("contract signed by both parties"))
                .as("a scanned page of an attached PDF is read by OCR under the attachment's name")
                .isGreaterThan(text.indexOf("Attachment: signed.pdf"));
        assertThat(done.note()).isEqualTo("OCR on 3 pictures");
        List<String> regions = done.pages().getFirst().regions().stream()
                .map(r -> text.substring(r.charStart(), r.charEnd()).toLowerCase(Locale.ROOT))
                .toList();
        assertThat(regions).hasSize(3);
        assertThat(regions.get(0)).startsWith("attachment: whiteboard.png").contains("ship the beta on thursday");
        assertThat(regions.get(1)).startsWith("attachment: pump.docx").contains("pump pressure peaked");
        assertThat(regions.get(2)).startsWith("attachment: signed.pdf").contains("contract signed");
    }

    /** A PDF of one scanned page: a picture of the lines, no text layer. */
    private static byte[] scannedPdf(List<String> lines) throws IOException {
        try (var doc = new org.apache.pdfbox.pdmodel.PDDocument()) {
            var page = new org.apache.pdfbox.pdmodel.PDPage();
            doc.addPage(page);
            var image = org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject.createFromByteArray(
                    doc, OfficePicturesTest.png(lines), "scan.png");
            try (var content = new org.apache.pdfbox.pdmodel.PDPageContentStream(doc, page)) {
                content.drawImage(image, 36, 500, 540, 135);
            }
            var out = new java.io.ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    @Test
    void aMailboxIsReadMessageByMessageWithItsEscapedLinesRestored(@TempDir Path tmp) throws IOException {
        String first = new String(
                Mails.plain("Flight times", "a@example.com", "b@example.com", SENT, "We land at 9.\n"),
                StandardCharsets.UTF_8);
        String second = new String(
                Mails.plain(
                        "=?UTF-8?Q?Caf=C3=A9_order?=",
                        "b@example.com",
                        "a@example.com",
                        SENT,
                        "Two espressos.\n>From the cafe on the corner.\n"),
                StandardCharsets.UTF_8);
        String mbox = "From a@example.com Sat Dec  6 05:46:40 2025\r\n"
                + first.replace("\n", "\r\n").strip() + "\r\n\r\nFrom b@example.com Sat Dec  6 06:00:00 2025\r\n"
                + second.strip() + "\n\n";
        Path file = tmp.resolve("Inbox.mbox");
        Files.writeString(file, mbox);
        Path work = Files.createDirectory(tmp.resolve("work"));

        assertThat(MailboxReader.isMailbox(file)).isTrue();
        List<ImportSource.File> files = new ArrayList<>();
        try (MailboxReader reader = new MailboxReader(file, work, 1_000_000)) {
            for (ImportSource.Entry e; (e = reader.next()) != null; ) {
                files.add((ImportSource.File) e);
            }
        }

        assertThat(files)
                .extracting(ImportSource.File::name)
                .containsExactly("00001 Flight times.eml", "00002 Café order.eml");
        String secondRead = Files.readString(files.get(1).path());
        assertThat(secondRead)
                .contains("Two espressos.\nFrom the cafe on the corner.\n")
                .doesNotContain("\r");
        assertThat(Files.readString(files.get(0).path()))
                .contains("We land at 9.")
                .doesNotContain("From b@");
        assertThat(files.get(1).sha256())
                .isEqualTo(java.util.HexFormat.of()
                        .formatHex(BlobStore.sha256()
                                .digest(Files.readAllBytes(files.get(1).path()))));
        ParsedDocument parsed = new DocumentParser(false).parse(files.get(1).path(), "message/rfc822", null);
        assertThat(parsed.pages().getFirst().text()).startsWith("Café order\nFrom: b@example.com\n");
    }

    @Test
    void aMessageLargerThanTheLimitIsSkippedWithItsReasonAndTheNextIsRead(@TempDir Path tmp) throws IOException {
        String big = "x".repeat(2000);
        String mbox = "From a Sat Dec  6 05:46:40 2025\nSubject: big\n\n" + big + "\n\n"
                + "From b Sat Dec  6 05:47:40 2025\nSubject: small\n\nshort\n";
        Path file = tmp.resolve("box.mbox");
        Files.writeString(file, mbox);

        try (MailboxReader reader = new MailboxReader(file, tmp, 1000)) {
            ImportSource.Entry big1 = reader.next();
            assertThat(big1).isInstanceOf(ImportSource.Skipped.class);
            assertThat(((ImportSource.Skipped) big1).reason()).contains("more than 1000 bytes");
            assertThat(reader.next().name()).isEqualTo("00002 small.eml");
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void aMailboxInsideAnArchiveIsReadMessageByMessageAndATextStartingWithFromIsNot(@TempDir Path tmp)
            throws IOException {
        String mbox = "From ines@example.org Fri Mar 14 09:30:00 2025\nSubject: Tunnel booking\n\nBook it.\n\n"
                + "From marek@example.org Fri Mar 14 10:30:00 2025\nSubject: Flutter results\n\nAttached.\n";
        String notes = "From 1990 to 2000, the fleet grew.\nIts engines changed twice.\n";
        Path zip = tmp.resolve("takeout.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            for (var e : java.util.Map.of("Takeout/Mail/Inbox.mbox", mbox, "notes.txt", notes).entrySet().stream()
                    .sorted(java.util.Map.Entry.comparingByKey())
                    .toList()) {
                out.putNextEntry(new java.util.zip.ZipEntry(e.getKey()));
                out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        Path work = Files.createDirectory(tmp.resolve("work"));
        assertThat(mbox.length())
                .as("a mailbox larger than the archive's file limit (120 bytes) is still read")
                .isGreaterThan(120);

        List<String> names = new ArrayList<>();
        try (ImportSource source =
                new MailboxExpander(new ArchiveReader(zip, work, 120, 10_000_000, 100), work, 1_000_000)) {
            for (ImportSource.Entry e; (e = source.next()) != null; ) {
                names.add(e.name());
                if (e.name().endsWith("Tunnel booking.eml")) {
                    assertThat(Files.readString(((ImportSource.File) e).path()))
                            .isEqualTo("Subject: Tunnel booking\n\nBook it.\n");
                }
            }
        }

        assertThat(names)
                .containsExactly(
                        "Takeout/Mail/Inbox.mbox/00001 Tunnel booking.eml",
                        "Takeout/Mail/Inbox.mbox/00002 Flutter results.eml",
                        "notes.txt");
        try (var left = Files.list(work)) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith("entry-")))
                    .as("of the archive's entries only notes.txt's copy is left: the mailbox's is removed once read")
                    .hasSize(1);
        }
    }

    @Test
    void aMailboxSkipsWhatGmailAndThunderbirdThrewAwayUnlessAskedNotTo(@TempDir Path tmp) throws IOException {
        String mbox = "From 1 Fri Mar 14 09:30:00 2025\nX-Gmail-Labels: Inbox,Important\nSubject: Kept\n\nKeep me.\n\n"
                + "From 2 Fri Mar 14 09:31:00 2025\nX-Gmail-Labels: Archived,\n Spam\nSubject: Win a prize\n\nClick.\n\n"
                + "From 3 Fri Mar 14 09:32:00 2025\nX-Gmail-Labels: Trash\nSubject: Old draft\n\nDraft.\n\n"
                + "From 4 Fri Mar 14 09:33:00 2025\nX-Mozilla-Status: 0009\nSubject: Deleted\n\nGone.\n\n"
                + "From 5 Fri Mar 14 09:34:00 2025\nX-Mozilla-Status: 0001\nSubject: Read\n\nRead it.\n";
        Path file = tmp.resolve("All mail Including Spam and Trash.mbox");
        Files.writeString(file, mbox);

        List<String> kept = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        try (MailboxReader reader = new MailboxReader(file, tmp, 1_000_000)) {
            for (ImportSource.Entry e; (e = reader.next()) != null; ) {
                switch (e) {
                    case ImportSource.File f -> kept.add(f.name());
                    case ImportSource.Skipped s -> skipped.add(s.name() + ": " + s.reason());
                }
            }
        }
        int all = 0;
        try (MailboxReader reader = new MailboxReader(file, tmp, 1_000_000, false)) {
            for (ImportSource.Entry e; (e = reader.next()) != null; ) {
                assertThat(e).isInstanceOf(ImportSource.File.class);
                all++;
            }
        }

        assertThat(kept).containsExactly("00001 Kept.eml", "00005 Read.eml");
        assertThat(skipped)
                .containsExactly(
                        "00002 Win a prize.eml: in Gmail's Spam (omnirag.import.skip-deleted-mail=false imports it)",
                        "00003 Old draft.eml: in Gmail's Trash (omnirag.import.skip-deleted-mail=false imports it)",
                        "00004 Deleted.eml: deleted in Thunderbird (omnirag.import.skip-deleted-mail=false imports it)");
        assertThat(all).isEqualTo(5);
    }

    @Test
    void aFileThatIsNotAMailboxIsRefused(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("notes.mbox");
        Files.writeString(file, "Dear diary,\nFrom today on I write daily.\n");

        assertThat(MailboxReader.isMailbox(file)).isFalse();
        assertThatThrownBy(() -> new MailboxReader(file, tmp, 1000))
                .isInstanceOf(ArchiveReader.BadArchive.class)
                .hasMessageContaining("not an mbox mailbox");
    }
}
