package dev.omnirag.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bounded decoding: damaged and oversized files fail with reasons before memory is spent on them. */
class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder(40_000_000, 100);

    @TempDir
    Path dir;

    /** A PNG whose IHDR claims the given size, followed by no image data (a few dozen bytes on disk). */
    static byte[] pngClaiming(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(13)
                .putInt(width)
                .putInt(height)
                .put((byte) 8)
                .put((byte) 2)
                .put((byte) 0)
                .put((byte) 0)
                .put((byte) 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    static byte[] png(int w, int h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }

    @Test
    void aHeaderClaimingFiftyThousandSquaredPixelsIsRefusedBeforeDecoding() throws IOException {
        Path bomb = Files.write(dir.resolve("bomb.png"), pngClaiming(50_000, 50_000));
        assertThat(decoder.size(bomb, 0)).containsExactly(50_000, 50_000);
        assertThatThrownBy(() -> decoder.read(bomb, 0))
                .isInstanceOf(MediaException.NonRetriable.class)
                .hasMessageContaining("50000×50000 pixels")
                .hasMessageContaining("at most 40000000 pixels");
    }

    @Test
    void emptyTruncatedAndCorruptFilesFailWithReasons() throws IOException {
        Path empty = Files.write(dir.resolve("empty.png"), new byte[0]);
        assertThatThrownBy(() -> decoder.read(empty, 0))
                .isInstanceOf(MediaException.NonRetriable.class)
                .hasMessageContaining("empty");
        byte[] good = png(64, 64);
        Path truncated = Files.write(dir.resolve("cut.png"), Arrays.copyOf(good, good.length / 2));
        assertThatThrownBy(() -> decoder.read(truncated, 0))
                .isInstanceOf(MediaException.NonRetriable.class)
                .hasMessageContaining("damaged or truncated");
        byte[] tiff = new byte[600];
        new java.util.Random(7).nextBytes(tiff);
        System.arraycopy(new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0}, 0, tiff, 0, 8);
        Path corruptTiff = Files.write(dir.resolve("corrupt.tiff"), tiff);
        assertThatThrownBy(() -> decoder.read(corruptTiff, 0))
                .isInstanceOf(MediaException.NonRetriable.class)
                .hasMessageContaining("cannot be decoded");
        Path text = Files.writeString(dir.resolve("not-an-image.png"), "hello");
        assertThatThrownBy(() -> decoder.read(text, 0))
                .isInstanceOf(MediaException.NonRetriable.class)
                .hasMessageContaining("not an image");
    }

    @Test
    void multiPageTiffFramesAreCountedAndReadOneByOne() throws IOException {
        Path tiff = dir.resolve("pages.tiff");
        ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(tiff.toFile())) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (int i = 1; i <= 3; i++) {
                writer.writeToSequence(
                        new IIOImage(new BufferedImage(10 * i, 20, BufferedImage.TYPE_INT_RGB), null, null), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        assertThat(decoder.frameCount(tiff)).isEqualTo(3);
        assertThat(decoder.read(tiff, 2).getWidth()).isEqualTo(30);
        assertThat(new ImageDecoder(1000, 2).frameCount(Files.write(dir.resolve("one.png"), png(5, 5))))
                .isEqualTo(1);
        assertThatThrownBy(() -> new ImageDecoder(1000, 2).frameCount(tiff))
                .isInstanceOf(MediaException.NonRetriable.class)
                .hasMessageContaining("3 frames");
    }

    @Test
    void knowsWhichFormatsItDecodes() {
        for (String type :
                new String[] {"image/png", "image/jpeg", "image/tiff", "image/bmp", "image/gif", "image/webp"}) {
            assertThat(ImageDecoder.canDecode(type)).as(type).isTrue();
        }
        assertThat(ImageDecoder.canDecode("image/x-unknown")).isFalse();
    }

    @Test
    void limitsAreValidated() {
        assertThatThrownBy(() -> new ImageDecoder(0, 1)).hasMessage("maxPixels must be in 1..1000000000; maxPixels=0");
        assertThatThrownBy(() -> new ImageDecoder(1, 0)).hasMessage("maxFrames must be in 1..100000; maxFrames=0");
    }
}
