package dev.omnirag.index;

/**
 * A rectangle on a page or image, normalised to the page: {@code x}, {@code y} (top-left corner, y grows
 * downwards) and {@code w}, {@code h} are fractions of the page's width and height, so a client draws it on a
 * rendering of any size by multiplying with that rendering's pixel size.
 *
 * @param x left edge, 0..1
 * @param y top edge, 0..1
 * @param w width, 0..1, with {@code x + w <= 1}
 * @param h height, 0..1, with {@code y + h <= 1}
 */
public record BoundingBox(double x, double y, double w, double h) {

    /** Rounding slack allowed on {@code x + w} and {@code y + h}. */
    private static final double SLACK = 1e-6;

    /** The whole page. */
    public static final BoundingBox PAGE = new BoundingBox(0, 0, 1, 1);

    public BoundingBox {
        check("x", x);
        check("y", y);
        check("w", w);
        check("h", h);
        if (x + w > 1 + SLACK) {
            throw new IllegalArgumentException("x + w must be <= 1; x=" + x + ", w=" + w);
        }
        if (y + h > 1 + SLACK) {
            throw new IllegalArgumentException("y + h must be <= 1; y=" + y + ", h=" + h);
        }
    }

    private static void check(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in 0..1; " + name + "=" + value);
        }
    }

    /**
     * The box of a pixel rectangle on an image of the given size, clamped to the image.
     *
     * @throws IllegalArgumentException when the image size is not positive
     */
    public static BoundingBox ofPixels(int left, int top, int right, int bottom, int imageWidth, int imageHeight) {
        if (imageWidth <= 0 || imageHeight <= 0) {
            throw new IllegalArgumentException(
                    "image size must be positive; imageWidth=" + imageWidth + ", imageHeight=" + imageHeight);
        }
        double x0 = clamp((double) Math.min(left, right) / imageWidth);
        double x1 = clamp((double) Math.max(left, right) / imageWidth);
        double y0 = clamp((double) Math.min(top, bottom) / imageHeight);
        double y1 = clamp((double) Math.max(top, bottom) / imageHeight);
        return new BoundingBox(x0, y0, x1 - x0, y1 - y0);
    }

    /** The smallest box holding both. */
    public BoundingBox union(BoundingBox other) {
        double x0 = Math.min(x, other.x);
        double y0 = Math.min(y, other.y);
        double x1 = Math.max(x + w, other.x + other.w);
        double y1 = Math.max(y + h, other.y + other.h);
        return new BoundingBox(x0, y0, Math.min(1 - x0, x1 - x0), Math.min(1 - y0, y1 - y0));
    }

    /** True when the other box lies inside this one (within rounding). */
    public boolean contains(BoundingBox other) {
        return other.x >= x - SLACK
                && other.y >= y - SLACK
                && other.x + other.w <= x + w + SLACK
                && other.y + other.h <= y + h + SLACK;
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
