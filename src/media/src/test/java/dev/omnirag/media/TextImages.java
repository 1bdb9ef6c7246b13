package dev.omnirag.media;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders known text into images and remembers where each word was drawn (pixel rectangles). */
public final class TextImages {

    /** An image and the drawn rectangle {left, top, right, bottom} of each word (lower-cased, last occurrence). */
    public record Drawn(BufferedImage image, Map<String, int[]> words) {}

    private TextImages() {}

    /** Draws the lines in black serif type on white, starting at (margin, margin), half the type size apart. */
    public static Drawn render(int width, int height, int fontSize, int margin, List<String> lines) {
        return render(width, height, fontSize, margin, lines, fontSize / 2);
    }

    /** As {@link #render(int, int, int, int, List)}, with {@code leading} pixels between one line and the next. */
    public static Drawn render(int width, int height, int fontSize, int margin, List<String> lines, int leading) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        Map<String, int[]> words = new LinkedHashMap<>();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SERIF, Font.PLAIN, fontSize));
            FontMetrics fm = g.getFontMetrics();
            int y = margin + fm.getAscent();
            for (String line : lines) {
                g.drawString(line, margin, y);
                int x = margin;
                for (String word : line.split(" ")) {
                    int w = fm.stringWidth(word);
                    words.put(
                            word.toLowerCase().replaceAll("[^a-z0-9]", ""),
                            new int[] {x, y - fm.getAscent(), x + w, y + fm.getDescent()});
                    x += w + fm.stringWidth(" ");
                }
                y += fm.getHeight() + leading;
            }
        } finally {
            g.dispose();
        }
        return new Drawn(image, words);
    }
}
