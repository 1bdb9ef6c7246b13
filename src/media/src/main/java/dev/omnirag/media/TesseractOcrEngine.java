package dev.omnirag.media;

import static org.bytedeco.tesseract.global.tesseract.RIL_BLOCK;
import static org.bytedeco.tesseract.global.tesseract.RIL_PARA;
import static org.bytedeco.tesseract.global.tesseract.RIL_TEXTLINE;
import static org.bytedeco.tesseract.global.tesseract.RIL_WORD;

import dev.omnirag.index.BoundingBox;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tesseract.ETEXT_DESC;
import org.bytedeco.tesseract.ResultIterator;
import org.bytedeco.tesseract.TessBaseAPI;
import org.bytedeco.tesseract.global.tesseract;

/**
 * OCR with Tesseract 5 in process, through the bytedeco native build (no system install). The English model
 * ({@code eng.traineddata}) is read from the class path (the tess4j jar ships it as
 * {@code tessdata/eng.traineddata}) and copied once to a cache directory, unless a tessdata directory is given.
 *
 * <p>Images are converted to 8-bit grey in Java and handed to Tesseract as raw pixels, so Leptonica never
 * parses a file; small images (short side under {@code upscaleBelow} pixels and at most 4 megapixels, e.g.
 * screenshots) are enlarged 2× first, which Tesseract reads much better. Each recognition has a deadline. Word boxes come from the
 * result iterator at word level; lines, paragraphs and blocks become newlines and blank lines in the text.
 * A pool of {@code engines} Tesseract instances serves concurrent callers. Thread safe.
 */
public final class TesseractOcrEngine implements OcrEngine {

    private final BlockingQueue<TessBaseAPI> pool;
    private final List<TessBaseAPI> all = new ArrayList<>();
    private final int timeoutMs;
    private final int upscaleBelow;
    private final String language;
    private volatile boolean closed;

    private TesseractOcrEngine(Builder b, Path tessdata) {
        this.timeoutMs = (int) Math.min(Integer.MAX_VALUE, b.timeoutMs);
        this.upscaleBelow = b.upscaleBelow;
        this.language = b.language;
        this.pool = new ArrayBlockingQueue<>(b.engines);
        try {
            for (int i = 0; i < b.engines; i++) {
                TessBaseAPI api = new TessBaseAPI();
                all.add(api);
                if (api.Init(tessdata.toString(), b.language) != 0) {
                    throw new MediaException.Misconfigured("Tesseract could not load language '" + b.language
                            + "' from " + tessdata + " (is " + b.language + ".traineddata there?)");
                }
                api.SetVariable("debug_file", "/dev/null");
                api.SetPageSegMode(tesseract.PSM_AUTO);
                pool.add(api);
            }
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            close();
            if (e instanceof MediaException m) {
                throw m;
            }
            throw new MediaException.Misconfigured("cannot start Tesseract: " + e.getMessage(), e);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public OcrText recognize(BufferedImage image, int dpi) {
        Objects.requireNonNull(image, "image must not be null");
        if (closed) {
            throw new MediaException.Misconfigured("the OCR engine is closed");
        }
        int w = image.getWidth();
        int h = image.getHeight();
        // Enlarge small images only (at most 4 megapixels before enlarging), so memory stays bounded.
        int scale = Math.min(w, h) < upscaleBelow && (long) w * h <= 4_000_000L ? 2 : 1;
        BufferedImage grey = grey(image, w * scale, h * scale);
        byte[] pixels = ((DataBufferByte) grey.getRaster().getDataBuffer()).getData();
        TessBaseAPI api;
        try {
            api = pool.poll(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MediaException.Retriable("interrupted while waiting for an OCR engine", e);
        }
        if (api == null) {
            throw new MediaException.Retriable("no OCR engine became free within 10 minutes", null);
        }
        ETEXT_DESC monitor = tesseract.TessMonitorCreate();
        try {
            api.SetImage(pixels, grey.getWidth(), grey.getHeight(), 1, grey.getWidth());
            api.SetSourceResolution(dpi > 0 ? dpi * scale : 300);
            tesseract.TessMonitorSetDeadlineMSecs(monitor, timeoutMs);
            long started = System.nanoTime();
            if (api.Recognize(monitor) != 0) {
                long ms = (System.nanoTime() - started) / 1_000_000;
                throw new MediaException.NonRetriable(
                        ms >= timeoutMs
                                ? "OCR took longer than " + timeoutMs + " ms and was stopped"
                                : "Tesseract could not recognise the image");
            }
            return read(api, grey.getWidth(), grey.getHeight());
        } finally {
            api.Clear();
            tesseract.TessMonitorDelete(monitor);
            pool.add(api);
        }
    }

    private static OcrText read(TessBaseAPI api, int width, int height) {
        StringBuilder text = new StringBuilder();
        List<OcrText.Word> words = new ArrayList<>();
        ResultIterator it = api.GetIterator();
        if (it == null) {
            return OcrText.EMPTY;
        }
        try {
            int[] l = new int[1];
            int[] t = new int[1];
            int[] r = new int[1];
            int[] b = new int[1];
            do {
                BytePointer raw = it.GetUTF8Text(RIL_WORD);
                if (raw == null) {
                    continue;
                }
                String word;
                try {
                    word = raw.getString(java.nio.charset.StandardCharsets.UTF_8)
                            .strip();
                } finally {
                    raw.deallocate();
                }
                if (word.isEmpty() || !it.BoundingBox(RIL_WORD, l, t, r, b)) {
                    continue;
                }
                if (!text.isEmpty()) {
                    if ((it.IsAtBeginningOf(RIL_BLOCK) || it.IsAtBeginningOf(RIL_PARA)) && !runsOn(text, word)) {
                        text.append("\n\n");
                    } else if (it.IsAtBeginningOf(RIL_TEXTLINE)) {
                        text.append('\n');
                    } else {
                        text.append(' ');
                    }
                }
                int start = text.length();
                text.append(word);
                words.add(new OcrText.Word(
                        start,
                        text.length(),
                        BoundingBox.ofPixels(l[0], t[0], r[0], b[0], width, height),
                        it.Confidence(RIL_WORD)));
            } while (it.Next(RIL_WORD));
        } finally {
            it.deallocate();
        }
        return new OcrText(text.toString(), words);
    }

    /**
     * True when a new block or paragraph of Tesseract's goes on with the sentence before it: the text so far ends with
     * no sentence's end and the word starts in lower case. Tesseract makes a paragraph (or a block) of every line of a
     * page set with wide line spacing, and of a column's continuation; a blank line there would cut the sentence in
     * two for the sentence splitter. Such a line starts on a line of its own instead.
     */
    static boolean runsOn(CharSequence before, String word) {
        int end = before.length();
        while (end > 0 && Character.isWhitespace(before.charAt(end - 1))) {
            end--;
        }
        if (end == 0 || word.isEmpty() || !Character.isLowerCase(word.codePointAt(0))) {
            return false;
        }
        char last = before.charAt(end - 1);
        return Character.isLetterOrDigit(last) || last == ',' || last == '-' || last == '\u00AD';
    }

    private static BufferedImage grey(BufferedImage image, int w, int h) {
        BufferedImage grey = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = grey.createGraphics();
        try {
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, w, h);
            if (w != image.getWidth()) {
                g.setRenderingHint(
                        java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            }
            g.drawImage(image, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return grey;
    }

    @Override
    public void close() {
        closed = true;
        for (TessBaseAPI api : all) {
            try {
                api.End();
                api.close();
            } catch (RuntimeException e) {
                // native memory only
            }
        }
        all.clear();
        pool.clear();
    }

    @Override
    public String toString() {
        return "TesseractOcrEngine[" + language + ", " + all.size() + " engine(s), timeout " + timeoutMs + " ms]";
    }

    /** The directory holding {@code eng.traineddata} copied from the class path (once per content). */
    static Path bundledTessdata(Path cacheRoot) {
        try (InputStream in =
                TesseractOcrEngine.class.getClassLoader().getResourceAsStream("tessdata/eng.traineddata")) {
            if (in == null) {
                throw new MediaException.Misconfigured("tessdata/eng.traineddata is not on the class path (it ships in "
                        + "net.sourceforge.tess4j:tess4j); set a tessdata directory instead");
            }
            Path dir = cacheRoot.resolve("omnirag-tessdata");
            Path target = dir.resolve("eng.traineddata");
            if (Files.isRegularFile(target) && Files.size(target) > 1_000_000) {
                return dir;
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "eng", ".part");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy eng.traineddata to " + cacheRoot, e);
        }
    }

    /** Configures a {@link TesseractOcrEngine}. */
    public static final class Builder {
        private Path tessdata;
        private Path cacheDir = Path.of(System.getProperty("java.io.tmpdir"));
        private String language = "eng";
        private int engines = 1;
        private long timeoutMs = 120_000;
        private int upscaleBelow = 1000;

        private Builder() {}

        /** A directory with {@code <language>.traineddata}; default: eng.traineddata from the class path. */
        public Builder tessdata(Path tessdata) {
            this.tessdata = tessdata;
            return this;
        }

        /** Where the bundled model is copied; default the temp directory. */
        public Builder cacheDir(Path cacheDir) {
            this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir must not be null");
            return this;
        }

        /** Tesseract language(s), e.g. {@code eng} or {@code eng+deu}. Default eng. */
        public Builder language(String language) {
            this.language = language;
            return this;
        }

        /** Tesseract instances (concurrent recognitions), 1..64. Default 1. */
        public Builder engines(int engines) {
            this.engines = engines;
            return this;
        }

        /** Longest time one image may take, 1..3,600,000 ms. Default 120 s. */
        public Builder timeoutMs(long timeoutMs) {
            this.timeoutMs = timeoutMs;
            return this;
        }

        /** Images whose short side is below this many pixels are enlarged 2× first; 0 disables. Default 1000. */
        public Builder upscaleBelow(int upscaleBelow) {
            this.upscaleBelow = upscaleBelow;
            return this;
        }

        public TesseractOcrEngine build() {
            if (language == null || !language.matches("[A-Za-z_]+(\\+[A-Za-z_]+)*")) {
                throw new IllegalArgumentException("language must look like eng or eng+deu; language=" + language);
            }
            if (engines < 1 || engines > 64) {
                throw new IllegalArgumentException("engines must be in 1..64; engines=" + engines);
            }
            if (timeoutMs < 1 || timeoutMs > 3_600_000) {
                throw new IllegalArgumentException("timeoutMs must be in 1..3600000; timeoutMs=" + timeoutMs);
            }
            if (upscaleBelow < 0 || upscaleBelow > 10_000) {
                throw new IllegalArgumentException("upscaleBelow must be in 0..10000; upscaleBelow=" + upscaleBelow);
            }
            Path dir = tessdata;
            if (dir == null) {
                if (!language.equals("eng")) {
                    throw new IllegalArgumentException("only eng ships with Omnirag; set tessdata to a directory with "
                            + language + ".traineddata; language=" + language);
                }
                dir = bundledTessdata(cacheDir);
            } else if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("tessdata must be a directory; tessdata=" + dir);
            }
            return new TesseractOcrEngine(this, dir);
        }
    }
}
