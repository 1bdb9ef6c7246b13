package dev.omnirag.server.ingest;

import dev.omnirag.index.BoundingBox;
import dev.omnirag.media.AudioDecoder;
import dev.omnirag.media.ImageDecoder;
import dev.omnirag.media.MediaException;
import dev.omnirag.media.OcrEngine;
import dev.omnirag.media.OcrText;
import dev.omnirag.media.PageRenderer;
import dev.omnirag.media.PdfFigures;
import dev.omnirag.media.PdfScans;
import dev.omnirag.media.Transcriber;
import dev.omnirag.media.Transcript;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;

/**
 * Completes what text extraction cannot do: OCR of images and scanned PDF pages (keeping each word's box) and
 * speech recognition of recordings (keeping each word's time). Runs after {@link DocumentParser}, outside its
 * time limit, because OCR and ASR are slow; each page and each recording has its own time limit instead, and
 * progress is reported per page. Failures become {@link IngestException.BadFile} with the media library's
 * message, which describes the file's problem. Also OCR of the pictures on PDF text pages ({@link FigureOcr}).
 * Thread safe.
 *
 * <p>Long because each media kind (image, scan, picture on a text page, recording) is one private
 * step with its limits and progress messages.
 */
public final class MediaProcessor {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(MediaProcessor.class);

    /**
     * Types read by their sound (or subtitle track) besides {@code audio/*}: OGG, and videos (MP4, QuickTime,
     * Matroska, WebM).
     */
    private static final Set<String> AUDIO_EXTRA =
            Set.of("application/ogg", "video/mp4", "video/quicktime", "video/x-matroska", "video/webm");

    /** Receives progress: a message and the fraction of this step done. */
    public interface Progress {
        void report(String message, double fraction);
    }

    private final OcrEngine ocr;
    private final ImageDecoder decoder;
    private final PageRenderer renderer;
    private final AudioDecoder audio;
    private final Transcriber transcriber;
    private final int pdfDpi;
    private final int minTextChars;
    private final boolean recoverDamagedScans;
    private final ImageCaptioner captioner;
    private final boolean captionScannedPages;
    private final FigureOcr figures;
    /** A picture covering more of the page than this is a scan: the page is read whole, not as a figure. */
    private static final double MAX_FIGURE_SHARE = 0.9;

    /**
     * @param ocr null when OCR is disabled
     * @param audio null (with transcriber) when speech recognition is disabled
     */
    public MediaProcessor(
            OcrEngine ocr,
            ImageDecoder decoder,
            PageRenderer renderer,
            AudioDecoder audio,
            Transcriber transcriber,
            int pdfDpi,
            int minTextChars,
            boolean recoverDamagedScans) {
        this(ocr, decoder, renderer, audio, transcriber, pdfDpi, minTextChars, recoverDamagedScans, null, false);
    }

    /**
     * @param ocr null when OCR is disabled
     * @param audio null (with transcriber) when speech recognition is disabled
     * @param captioner captions pictures with a vision model; null when none is configured
     * @param captionScannedPages also caption scanned PDF pages, not only image files
     */
    public MediaProcessor(
            OcrEngine ocr,
            ImageDecoder decoder,
            PageRenderer renderer,
            AudioDecoder audio,
            Transcriber transcriber,
            int pdfDpi,
            int minTextChars,
            boolean recoverDamagedScans,
            ImageCaptioner captioner,
            boolean captionScannedPages) {
        this(
                ocr,
                decoder,
                renderer,
                audio,
                transcriber,
                pdfDpi,
                minTextChars,
                recoverDamagedScans,
                captioner,
                captionScannedPages,
                FigureOcr.DEFAULT);
    }

    /**
     * Which pictures on text pages of PDFs are OCR'd.
     *
     * @param enabled whether they are at all
     * @param minAreaShare the least share of the page a picture covers to be read (smaller ones are icons, logos)
     * @param maxPerDocument the most pictures read per document (each costs an OCR call)
     */
    public record FigureOcr(boolean enabled, double minAreaShare, int maxPerDocument) {
        /** On: pictures covering 3% of the page or more, at most 50 per document. */
        public static final FigureOcr DEFAULT = new FigureOcr(true, 0.03, 50);

        public FigureOcr {
            if (!(minAreaShare > 0 && minAreaShare < 1)) {
                throw new IllegalArgumentException("figure min-area must be in (0, 1); minAreaShare=" + minAreaShare);
            }
            if (maxPerDocument < 0) {
                throw new IllegalArgumentException(
                        "figure max-per-document must be >= 0; maxPerDocument=" + maxPerDocument);
            }
        }
    }

    /**
     * @param ocr null when OCR is disabled
     * @param audio null (with transcriber) when speech recognition is disabled
     * @param captioner captions pictures with a vision model; null when none is configured
     * @param captionScannedPages also caption scanned PDF pages, not only image files
     * @param figures which pictures on text pages are OCR'd
     */
    public MediaProcessor(
            OcrEngine ocr,
            ImageDecoder decoder,
            PageRenderer renderer,
            AudioDecoder audio,
            Transcriber transcriber,
            int pdfDpi,
            int minTextChars,
            boolean recoverDamagedScans,
            ImageCaptioner captioner,
            boolean captionScannedPages,
            FigureOcr figures) {
        this.figures = java.util.Objects.requireNonNull(figures, "figures");
        this.captioner = captioner;
        this.captionScannedPages = captionScannedPages;
        if (pdfDpi < 50 || pdfDpi > 1200) {
            throw new IllegalArgumentException("pdfDpi must be in 50..1200; pdfDpi=" + pdfDpi);
        }
        if (minTextChars < 0) {
            throw new IllegalArgumentException("minTextChars must be >= 0; minTextChars=" + minTextChars);
        }
        this.ocr = ocr;
        this.decoder = decoder;
        this.renderer = renderer;
        this.audio = audio;
        this.transcriber = transcriber;
        this.pdfDpi = pdfDpi;
        this.minTextChars = minTextChars;
        this.recoverDamagedScans = recoverDamagedScans;
    }

    public boolean ocrEnabled() {
        return ocr != null;
    }

    public ImageDecoder decoder() {
        return decoder;
    }

    public OcrEngine ocr() {
        return ocr;
    }

    /** The speech recogniser, or null when speech recognition is disabled. */
    public Transcriber transcriber() {
        return transcriber;
    }

    /** True for image types that are decoded and OCR'd (when OCR is on). */
    public boolean acceptsImage(String mediaType) {
        String type = mediaType.toLowerCase(Locale.ROOT);
        return ocr != null && type.startsWith("image/") && ImageDecoder.canDecode(type);
    }

    /** True for audio types that are transcribed (when ASR is on). */
    public boolean acceptsAudio(String mediaType) {
        String type = mediaType.toLowerCase(Locale.ROOT);
        return transcriber != null && (type.startsWith("audio/") || AUDIO_EXTRA.contains(type));
    }

    public static boolean isAudio(String mediaType) {
        String type = mediaType.toLowerCase(Locale.ROOT);
        return type.startsWith("audio/") || AUDIO_EXTRA.contains(type);
    }

    /** True when a PDF page's text layer is too thin to be the page's text (a scan, or a picture of text). */
    public boolean needsOcr(String pageText) {
        return ocr != null
                && pageText.codePoints().filter(c -> !Character.isWhitespace(c)).count() < minTextChars;
    }

    /** Whether a PDF whose cross-reference table is broken should be recovered as a scan (see OcrConfig). */
    public boolean recoversDamagedScans() {
        return ocr != null && recoverDamagedScans;
    }

    /** Number of pages of a damaged PDF when PDFBox can rebuild it and every page is a full-page scan, else 0. */
    public int scannedPageCount(Path pdf) {
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            int n = doc.getNumberOfPages();
            if (n == 0) {
                return 0;
            }
            for (int i = 0; i < n; i++) {
                if (!PdfScans.isScannedPage(doc.getPage(i))) {
                    return 0;
                }
            }
            return n;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Runs OCR on the pages the parser marked and transcribes recordings; returns the completed document. */
    public ParsedDocument complete(ParsedDocument parsed, Path file, String mediaType, Progress progress) {
        return switch (parsed.kind()) {
            case AUDIO -> transcribe(parsed, file, mediaType, progress);
            case IMAGE -> parsed.ocrPages().isEmpty() ? parsed : ocrPages(parsed, file, mediaType, progress);
            case PDF ->
                ocrFigures(
                        parsed.ocrPages().isEmpty() ? parsed : ocrPages(parsed, file, mediaType, progress),
                        file,
                        progress);
            case TEXT -> parsed.pictures().isEmpty() ? parsed : ocrPictures(parsed, progress);
            case TRANSCRIPT -> parsed;
        };
    }

    /** Whether the pictures of office documents are read (OCR on, and figures with it: {@link FigureOcr}). */
    public boolean readsPictures() {
        return ocr != null && figures.enabled() && figures.maxPerDocument() > 0;
    }

    /** The most pictures read per document. */
    public int maxPicturesPerDocument() {
        return figures.maxPerDocument();
    }

    /** The least pixels of a picture worth reading: smaller ones are icons and bullets. */
    private static final int MIN_PICTURE_PIXELS = 20_000;

    /**
     * OCR of the pictures of an office document (a slide's diagram, a screenshot in a report): the legible words of
     * each become a paragraph where the picture stands. A picture on three pages or more (a logo) is not read, nor
     * one too small to hold words; one whose OCR fails or reads nothing legible is left out, never failing the
     * document.
     */
    private ParsedDocument ocrPictures(ParsedDocument parsed, Progress progress) {
        List<ParsedDocument.Picture> pictures = parsed.pictures();
        List<String> keys = new ArrayList<>();
        Map<String, Set<Integer>> pagesOf = new HashMap<>();
        for (ParsedDocument.Picture p : pictures) {
            keys.add(digest(p.bytes()));
            pagesOf.computeIfAbsent(keys.getLast(), k -> new HashSet<>()).add(p.page());
        }
        Map<Integer, TreeMap<Integer, String>> words = new HashMap<>();
        // One OCR per distinct picture (the same one twice on a page or on two pages is read once).
        Map<String, String> readBefore = new HashMap<>();
        int read = 0;
        for (int i = 0; i < pictures.size() && i < figures.maxPerDocument(); i++) {
            ParsedDocument.Picture p = pictures.get(i);
            String key = keys.get(i);
            if (pagesOf.get(key).size() >= 3) {
                continue;
            }
            progress.report("OCR of picture " + (i + 1) + " of " + pictures.size(), (double) i / pictures.size());
            Path tmp = null;
            try {
                String text = readBefore.get(key);
                if (text == null) {
                    tmp = Files.createTempFile("omnirag-picture", ".img");
                    Files.write(tmp, p.bytes());
                    int[] size = decoder.size(tmp, 0);
                    text = (long) size[0] * size[1] < MIN_PICTURE_PIXELS
                            ? ""
                            : ocr.recognize(decoder.read(tmp, 0), 0).text().strip();
                    readBefore.put(key, text);
                }
                if (legible(text)) {
                    words.computeIfAbsent(p.page(), k -> new TreeMap<>())
                            .merge(p.offset(), text, (a, b) -> a + "\n\n" + b);
                    read++;
                }
            } catch (IOException | RuntimeException e) {
                LOG.warnf("OCR of a picture on page %d failed; the page keeps its text: %s", p.page(), e.getMessage());
            } finally {
                if (tmp != null) {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException ignored) {
                        // A temporary file: the system's cleaning removes it.
                    }
                }
            }
        }
        ParsedDocument none = new ParsedDocument(
                parsed.pages(), parsed.paged(), parsed.kind(), parsed.ocrPages(), parsed.note(), parsed.description());
        if (read == 0) {
            return none;
        }
        List<ParsedDocument.Page> pages = new ArrayList<>(parsed.pages());
        for (var entry : words.entrySet()) {
            ParsedDocument.Page page = pages.get(entry.getKey() - 1);
            StringBuilder text = new StringBuilder(page.text());
            List<ParsedDocument.Region> regions = new ArrayList<>(page.regions());
            // From the last offset back, so that the earlier ones still hold.
            for (var at : entry.getValue().descendingMap().entrySet()) {
                int offset = Math.min(at.getKey(), text.length());
                String inserted = "\n\n" + at.getValue() + "\n\n";
                text.insert(offset, inserted);
                // A region the words land in (an e-mail's attachment) grows by them; those after it move.
                for (int i = 0; i < regions.size(); i++) {
                    ParsedDocument.Region r = regions.get(i);
                    if (r.charStart() >= offset) {
                        regions.set(
                                i,
                                new ParsedDocument.Region(
                                        r.charStart() + inserted.length(), r.charEnd() + inserted.length(), r.box()));
                    } else if (r.charEnd() >= offset) {
                        regions.set(
                                i, new ParsedDocument.Region(r.charStart(), r.charEnd() + inserted.length(), r.box()));
                    }
                }
            }
            pages.set(
                    entry.getKey() - 1,
                    new ParsedDocument.Page(
                            page.number(), text.toString(), page.spans(), page.image(), regions, page.sheet()));
        }
        String note = "OCR on " + read + (read == 1 ? " picture" : " pictures");
        return none.withPages(pages, parsed.ocrPages(), parsed.note() == null ? note : parsed.note() + "; " + note);
    }

    private static String digest(byte[] bytes) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private ParsedDocument ocrPages(ParsedDocument parsed, Path file, String mediaType, Progress progress) {
        if (ocr == null) {
            throw new IngestException.BadFile(
                    "the file's pages are images and OCR is disabled (omnirag.ocr.enabled=false)");
        }
        List<ParsedDocument.Page> pages = new ArrayList<>(parsed.pages());
        boolean pdf = parsed.kind() == ParsedDocument.Kind.PDF;
        boolean caption = captioner != null && (!pdf || captionScannedPages);
        int done = 0;
        int captioned = 0;
        String captionFailure = null;
        // Captions join their pages after the running lines are gone: a caption at a page's foot is no footer.
        java.util.Map<Integer, String> captions = new java.util.HashMap<>();
        try (PDDocument doc = pdf ? Loader.loadPDF(file.toFile()) : null) {
            for (int number : parsed.ocrPages()) {
                progress.report(
                        "OCR of page " + number + " of " + pages.size(),
                        (double) done / parsed.ocrPages().size());
                BufferedImage image =
                        pdf ? renderer.renderPdfPage(doc, number, pdfDpi, 0) : decoder.read(file, number - 1);
                OcrText text = ocr.recognize(image, pdf ? pdfDpi : 0);
                ParsedDocument.Page old = pages.get(number - 1);
                List<ParsedDocument.Span> spans = new ArrayList<>();
                for (OcrText.Word w : text.words()) {
                    spans.add(new ParsedDocument.Span(w.charStart(), w.charEnd(), w.box(), null, null));
                }
                // An image without legible text keeps its stand-in (file name, description); a scanned PDF page keeps
                // whatever thin text layer it had. An embedded description follows the OCR text (after it, so the
                // OCR words' offsets stay valid).
                String pageText = text.text().isBlank()
                        ? old.text()
                        : parsed.description().isBlank() ? text.text() : text.text() + "\n\n" + parsed.description();
                if (caption && captionFailure == null) {
                    // A caption follows the rest; after the first failure the other pages are not tried (the server
                    // is down or refuses), so a long TIFF does not wait out a timeout per page.
                    progress.report(
                            "caption of page " + number + " by " + captioner.model(),
                            (done + 0.5) / parsed.ocrPages().size());
                    try {
                        String words = captioner.caption(image);
                        if (!words.isBlank()) {
                            captions.put(number, words);
                            captioned++;
                        }
                    } catch (dev.omnirag.generator.GenerationException | java.io.UncheckedIOException e) {
                        captionFailure = e.getMessage();
                        LOG.warnf(
                                "Caption of page %d failed; the page keeps its other text: %s", number, e.getMessage());
                    }
                }
                pages.set(
                        number - 1,
                        new ParsedDocument.Page(number, pageText, text.text().isBlank() ? List.of() : spans, true));
                done++;
            }
        } catch (MediaException e) {
            throw new IngestException.BadFile(e.getMessage());
        } catch (IOException e) {
            throw new IngestException.BadFile("cannot render the PDF's pages for OCR: " + e.getMessage());
        }
        if (pdf) {
            // A scanned report's running header and page numbers, like a text PDF's.
            pages = new ArrayList<>(RunningLines.stripRead(pages));
        }
        for (var captionOf : captions.entrySet()) {
            ParsedDocument.Page page = pages.get(captionOf.getKey() - 1);
            String text = page.text().isBlank() ? captionOf.getValue() : page.text() + "\n\n" + captionOf.getValue();
            pages.set(
                    captionOf.getKey() - 1,
                    new ParsedDocument.Page(
                            page.number(), text, page.spans(), page.image(), page.regions(), page.sheet()));
        }
        String note = parsed.note();
        String ocrNote = "OCR on " + done + (done == 1 ? " page" : " pages");
        if (captioned > 0) {
            ocrNote += "; captioned " + captioned + (captioned == 1 ? " page" : " pages") + " by " + captioner.model();
        }
        if (captionFailure != null) {
            ocrNote += "; caption failed: " + captionFailure;
        }
        return parsed.withPages(pages, List.of(), note == null ? ocrNote : note + "; " + ocrNote);
    }

    private ParsedDocument transcribe(ParsedDocument parsed, Path file, String mediaType, Progress progress) {
        if (transcriber == null) {
            throw new IngestException.BadFile("speech recognition is disabled (omnirag.asr.enabled=false)");
        }
        // Only a video has a subtitle track (an ffmpeg run saved for every recording).
        var subtitles = mediaType.startsWith("video/")
                ? audio.subtitles(file, mediaType).map(dev.omnirag.media.Subtitles::parse)
                : java.util.Optional.<dev.omnirag.media.Subtitles>empty();
        if (subtitles.isPresent() && !subtitles.get().cues().isEmpty()) {
            // A video's own captions are what is said, written by people (or its maker's recogniser): better than
            // what PocketSphinx hears, and read in a moment.
            return fromSubtitles(parsed, subtitles.get(), tagText(audio.tags(file, mediaType)));
        }
        Path wav = null;
        try {
            wav = Files.createTempFile("omnirag-audio", ".wav");
            progress.report("decoding audio", 0.0);
            long ms = audio.decode(file, mediaType, wav);
            progress.report("transcribing " + (ms / 1000) + " s of audio with " + transcriber.name(), 0.1);
            Transcript transcript = transcriber.transcribe(wav);
            String tagText = tagText(audio.tags(file, mediaType));
            if (transcript.isEmpty() && tagText.isEmpty()) {
                throw new IngestException.BadFile(
                        "no speech could be recognised in the recording (" + (ms / 1000) + " s)");
            }
            // One utterance per paragraph: sentence splitters treat blank lines as boundaries, so a quote can be one
            // utterance and its citation the seconds it was said.
            StringBuilder text = new StringBuilder();
            List<ParsedDocument.Span> spans = new ArrayList<>();
            for (Transcript.Segment segment : transcript.segments()) {
                if (segment.text().isBlank()) {
                    continue;
                }
                if (!text.isEmpty()) {
                    text.append("\n\n");
                }
                if (segment.words().isEmpty()) {
                    int start = text.length();
                    text.append(segment.text());
                    spans.add(new ParsedDocument.Span(start, text.length(), null, segment.startMs(), segment.endMs()));
                    continue;
                }
                for (int i = 0; i < segment.words().size(); i++) {
                    Transcript.Word w = segment.words().get(i);
                    if (i > 0) {
                        text.append(' ');
                    }
                    int start = text.length();
                    text.append(w.text());
                    spans.add(new ParsedDocument.Span(start, text.length(), null, w.startMs(), w.endMs()));
                }
            }
            // The tags (title, artist, comment, lyrics...) follow the transcript, outside its timed words: they become
            // chunks of their own without a time.
            if (!tagText.isEmpty()) {
                if (!text.isEmpty()) {
                    text.append("\n\n");
                }
                text.append(tagText);
            }
            String note = "transcribed " + (ms / 1000) + " s of audio with " + transcriber.name()
                    + (transcript.isEmpty() ? " (no speech recognised)" : "")
                    + (tagText.isEmpty() ? "" : "; indexed its tags");
            return parsed.withPages(
                    List.of(new ParsedDocument.Page(1, text.toString(), spans, false)), List.of(), note);
        } catch (MediaException e) {
            throw new IngestException.BadFile(e.getMessage());
        } catch (IOException e) {
            throw new IngestException("cannot create a temporary file for decoded audio: " + e.getMessage(), e);
        } finally {
            if (wav != null) {
                try {
                    Files.deleteIfExists(wav);
                } catch (IOException ignored) {
                    // temp file; the OS cleans up
                }
            }
        }
    }

    /** A video read from its subtitle track ({@link Captions#page}), its tags after the timed text. */
    private static ParsedDocument fromSubtitles(
            ParsedDocument parsed, dev.omnirag.media.Subtitles subtitles, String tagText) {
        ParsedDocument.Page page = Captions.page(subtitles);
        String text = tagText.isEmpty() ? page.text() : page.text() + "\n\n" + tagText;
        String note = "read its subtitle track (" + subtitles.cues().size() + " captions) instead of recognising speech"
                + (tagText.isEmpty() ? "" : "; indexed its tags");
        return parsed.withPages(List.of(new ParsedDocument.Page(1, text, page.spans(), false)), List.of(), note);
    }

    /** Tags kept in a recording's text stand-in, in this order (lyrics also with a language: lyrics-eng). */
    private static final List<String> AUDIO_TAGS = List.of(
            "title",
            "subtitle",
            "artist",
            "album_artist",
            "album",
            "composer",
            "performer",
            "description",
            "synopsis",
            "comment",
            "lyrics");

    /** The text of a recording's descriptive tags, one per line, without repeats; "" when none. */
    static String tagText(java.util.Map<String, String> tags) {
        java.util.Set<String> parts = new java.util.LinkedHashSet<>();
        for (String wanted : AUDIO_TAGS) {
            tags.forEach((key, value) -> {
                String k = key.toLowerCase(Locale.ROOT);
                boolean match = k.equals(wanted) || (wanted.equals("lyrics") && k.startsWith("lyrics"));
                String v = value == null ? "" : value.strip();
                if (match
                        && !v.isEmpty()
                        && v.length() <= 20_000
                        && v.codePoints().anyMatch(Character::isLetter)) {
                    parts.add(v);
                }
            });
        }
        return String.join("\n", parts);
    }

    /**
     * OCR of the pictures on a PDF's text pages (charts, screenshots): each picture's words become a block at the end
     * of its page's text, with their boxes mapped onto the page, and a {@link ParsedDocument.Region}. A picture whose
     * OCR fails or reads nothing legible is left out; the document never fails for it.
     */
    private ParsedDocument ocrFigures(ParsedDocument parsed, Path file, Progress progress) {
        if (ocr == null || !figures.enabled() || figures.maxPerDocument() == 0) {
            return parsed;
        }
        List<ParsedDocument.Page> pages = new ArrayList<>(parsed.pages());
        int read = 0;
        int seen = 0;
        try (PDDocument doc = Loader.loadPDF(file.toFile())) {
            for (int i = 0; i < pages.size() && i < doc.getNumberOfPages() && seen < figures.maxPerDocument(); i++) {
                ParsedDocument.Page page = pages.get(i);
                if (page.image()) {
                    continue;
                }
                List<PdfFigures.Figure> found =
                        PdfFigures.figures(doc.getPage(i), figures.minAreaShare(), MAX_FIGURE_SHARE);
                if (found.isEmpty()) {
                    continue;
                }
                progress.report(
                        "OCR of " + found.size() + (found.size() == 1 ? " picture" : " pictures") + " on page "
                                + page.number(),
                        (double) i / pages.size());
                StringBuilder text = new StringBuilder(page.text());
                List<ParsedDocument.Span> spans = new ArrayList<>(page.spans());
                List<ParsedDocument.Region> figureList = new ArrayList<>(page.regions());
                BufferedImage rendered = null;
                for (PdfFigures.Figure f : found) {
                    if (seen++ >= figures.maxPerDocument()) {
                        break;
                    }
                    try {
                        if (rendered == null) {
                            rendered = renderer.renderPdfPage(doc, page.number(), pdfDpi, 0);
                        }
                        OcrText words = ocr.recognize(crop(rendered, f.box()), pdfDpi);
                        if (!legible(words.text())) {
                            continue;
                        }
                        while (!text.isEmpty() && Character.isWhitespace(text.charAt(text.length() - 1))) {
                            text.setLength(text.length() - 1);
                        }
                        if (!text.isEmpty()) {
                            text.append("\n\n");
                        }
                        int regionStart = text.length();
                        // The picture's caption goes with its words (it stays in the page's text too).
                        String caption = caption(doc, page.number(), f.box());
                        if (caption != null) {
                            text.append(caption).append('\n');
                        }
                        int offset = text.length();
                        text.append(words.text().strip());
                        int lead = words.text().indexOf(words.text().strip());
                        for (OcrText.Word w : words.words()) {
                            BoundingBox b = w.box();
                            BoundingBox onPage = b == null
                                    ? f.box()
                                    : new BoundingBox(
                                            f.box().x() + b.x() * f.box().w(),
                                            f.box().y() + b.y() * f.box().h(),
                                            b.w() * f.box().w(),
                                            b.h() * f.box().h());
                            spans.add(new ParsedDocument.Span(
                                    offset + w.charStart() - lead, offset + w.charEnd() - lead, onPage, null, null));
                        }
                        figureList.add(new ParsedDocument.Region(regionStart, text.length(), f.box()));
                        read++;
                    } catch (IOException | RuntimeException e) {
                        LOG.warnf(
                                "OCR of a picture on page %d failed; the page keeps its text: %s",
                                page.number(), e.getMessage());
                    }
                }
                pages.set(i, new ParsedDocument.Page(page.number(), text.toString(), spans, false, figureList));
            }
        } catch (IOException e) {
            LOG.warnf("Cannot look for pictures in the PDF; its text is indexed without them: %s", e.getMessage());
            return parsed;
        }
        if (read == 0) {
            return parsed;
        }
        String figureNote = "OCR on " + read + (read == 1 ? " picture" : " pictures") + " on text pages";
        return parsed.withPages(
                pages, parsed.ocrPages(), parsed.note() == null ? figureNote : parsed.note() + "; " + figureNote);
    }

    /** A caption's first words: "Figure 3.", "Fig. 2:", "Chart 1 -", "Table 4". */
    private static final java.util.regex.Pattern CAPTION = java.util.regex.Pattern.compile(
            "(?i)(figure|fig\\.|chart|graph|diagram|exhibit|table|plate|abbildung|abb\\.)\\s*[0-9IVX]+[a-z]?\\b.*");

    /**
     * The caption of the picture at {@code box} on the page: the nearest text line starting like a caption ("Figure
     * 3.") that lies just below the picture or just above it (within 6% of the page's height) and overlaps it
     * horizontally; null when there is none or the text cannot be read.
     */
    private static String caption(PDDocument doc, int page, BoundingBox box) {
        try {
            String best = null;
            double bestGap = 0.06;
            for (PdfTables.TextLine line : PdfTables.lines(doc, page)) {
                BoundingBox b = line.box();
                boolean overlaps = b.x() < box.x() + box.w() && b.x() + b.w() > box.x();
                double below = b.y() - (box.y() + box.h());
                double above = box.y() - (b.y() + b.h());
                double gap = below >= -0.005 ? below : above >= -0.005 ? above : Double.MAX_VALUE;
                if (overlaps
                        && gap <= bestGap
                        && CAPTION.matcher(line.text().strip()).matches()) {
                    best = line.text().strip();
                    bestGap = gap;
                }
            }
            return best;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The part of a rendered page under {@code box}. */
    private static BufferedImage crop(BufferedImage page, BoundingBox box) {
        int x = (int) Math.floor(box.x() * page.getWidth());
        int y = (int) Math.floor(box.y() * page.getHeight());
        int w = Math.max(1, Math.min(page.getWidth() - x, (int) Math.ceil(box.w() * page.getWidth())));
        int h = Math.max(1, Math.min(page.getHeight() - y, (int) Math.ceil(box.h() * page.getHeight())));
        return page.getSubimage(x, y, w, h);
    }

    /** Words worth indexing: at least two of three letters or more, and text that reads as text (not OCR noise). */
    private static boolean legible(String text) {
        long words = java.util.Arrays.stream(text.split("\\s+"))
                .filter(w -> w.chars().filter(Character::isLetter).count() >= 3)
                .count();
        return words >= 2 && TextLayer.judge(text).usable();
    }

    /**
     * Pages of a PDF rendered as OCR reads scanned pages (at {@code omnirag.ocr.pdf-dpi}, grey), as PNG files to be
     * read later as pictures ({@link ParsedDocument#pictures()}): the scanned pages of a file attached to an e-mail,
     * whose own file is gone by the time OCR runs. None without OCR; a page that cannot be rendered is left out.
     */
    public List<byte[]> scannedPagePictures(Path pdf, List<Integer> pages) {
        List<byte[]> out = new ArrayList<>();
        if (ocr == null || pages.isEmpty()) {
            return out;
        }
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            for (int number : pages) {
                try {
                    BufferedImage page = renderer.renderPdfPage(doc, number, pdfDpi, 0);
                    // Grey, as OCR reads it: a third of the bytes of colour while the picture waits for OCR.
                    BufferedImage grey =
                            new BufferedImage(page.getWidth(), page.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
                    grey.getGraphics().drawImage(page, 0, 0, null);
                    out.add(PageRenderer.png(grey));
                } catch (IOException | RuntimeException e) {
                    LOG.warnf("Rendering page %d of an attached PDF for OCR failed: %s", number, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warnf("An attached PDF could not be opened for OCR: %s", e.getMessage());
        }
        return out;
    }

    /**
     * The page as an image for the multimodal embedder (longest side at most {@code maxSide}): a frame of an image
     * file or a PDF page rendered to fit.
     */
    public BufferedImage pageImage(Path file, String mediaType, int page, int maxSide) {
        try {
            return renderer.render(file, mediaType, page, 150, maxSide);
        } catch (MediaException e) {
            throw new IngestException.BadFile(e.getMessage());
        }
    }

    /** The region of a page covered by OCR words; used for chunk locators. */
    public static BoundingBox boxOf(List<ParsedDocument.Span> spans, int charStart, int charEnd) {
        BoundingBox box = null;
        for (ParsedDocument.Span s : spans) {
            if (s.box() != null && s.charEnd() > charStart && s.charStart() < charEnd) {
                box = box == null ? s.box() : box.union(s.box());
            }
        }
        return box;
    }
}
