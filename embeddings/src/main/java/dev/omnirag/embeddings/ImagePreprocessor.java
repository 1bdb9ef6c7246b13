package dev.omnirag.embeddings;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Objects;

/**
 * CLIP-style image preprocessing in Java: resize so the shorter side is {@code size} (bicubic, after halving
 * steps for large reductions so detail is averaged rather than skipped), centre crop {@code size × size}, scale
 * to 0..1 and normalise each RGB channel with {@code (v - mean) / std}. Produces the {@code [3, size, size]}
 * channel-first tensor vision towers take. Alpha is composited on white. Immutable and thread safe.
 *
 * @param size the square side the vision tower expects (224 for CLIP ViT-B/32), 1..4096
 * @param mean per-channel mean (R, G, B) in 0..1 units
 * @param std per-channel standard deviation (R, G, B), positive
 */
public record ImagePreprocessor(int size, float[] mean, float[] std) {

    /** OpenAI CLIP's statistics. */
    public static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};

    public static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    public ImagePreprocessor {
        if (size < 1 || size > 4096) {
            throw new IllegalArgumentException("size must be in 1..4096; size=" + size);
        }
        Objects.requireNonNull(mean, "mean must not be null");
        Objects.requireNonNull(std, "std must not be null");
        if (mean.length != 3) {
            throw new IllegalArgumentException("mean must have 3 values (R, G, B); mean=" + Arrays.toString(mean));
        }
        if (std.length != 3) {
            throw new IllegalArgumentException("std must have 3 values (R, G, B); std=" + Arrays.toString(std));
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std values must be positive; std=" + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /** The normalised {@code [3][size][size]} tensor, channel first. */
    public float[][][] apply(BufferedImage image) {
        Objects.requireNonNull(image, "image must not be null");
        BufferedImage square = centreCrop(resizeShortSide(toRgb(image), size), size);
        float[][][] out = new float[3][size][size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int rgb = square.getRGB(x, y);
                int[] c = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
                for (int ch = 0; ch < 3; ch++) {
                    out[ch][y][x] = (c[ch] / 255f - mean[ch]) / std[ch];
                }
            }
        }
        return out;
    }

    /** An opaque RGB copy; transparent pixels become white. */
    static BufferedImage toRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }

    /** Scales so the shorter side equals {@code target}, keeping the aspect ratio. */
    static BufferedImage resizeShortSide(BufferedImage image, int target) {
        int w = image.getWidth();
        int h = image.getHeight();
        double scale = (double) target / Math.min(w, h);
        int tw = Math.max(target, (int) Math.round(w * scale));
        int th = Math.max(target, (int) Math.round(h * scale));
        if (w < h) {
            tw = target;
        } else {
            th = target;
        }
        BufferedImage current = image;
        // Halve while more than 2x too large: one bicubic step over a large factor would skip most pixels.
        while (current.getWidth() / 2 >= tw && current.getHeight() / 2 >= th) {
            current = scale(
                    current,
                    current.getWidth() / 2,
                    current.getHeight() / 2,
                    RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        }
        if (current.getWidth() == tw && current.getHeight() == th) {
            return current;
        }
        return scale(current, tw, th, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    }

    static BufferedImage centreCrop(BufferedImage image, int side) {
        int x = (image.getWidth() - side) / 2;
        int y = (image.getHeight() - side) / 2;
        return image.getSubimage(x, y, side, side);
    }

    private static BufferedImage scale(BufferedImage image, int w, int h, Object interpolation) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
