package dev.omnirag.server.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.omnirag.index.BoundingBox;
import dev.omnirag.index.Locator;
import java.util.ArrayList;
import java.util.List;

/**
 * Positioned pieces of a chunk: the OCR words or recognised words inside it, with offsets relative to the chunk.
 * They are kept with the chunk's row so that a citation quoting part of a chunk, or a search highlight, can be
 * narrowed to the box or the seconds of exactly those words. Stored compactly as JSON arrays:
 * {@code [start, end, x, y, w, h]} for boxes, {@code [start, end, startMs, endMs]} for times.
 */
public final class Spans {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Spans() {}

    /** The spans of a page that overlap {@code [charStart, charEnd)}, with offsets relative to charStart. */
    public static List<ParsedDocument.Span> slice(List<ParsedDocument.Span> spans, int charStart, int charEnd) {
        List<ParsedDocument.Span> out = new ArrayList<>();
        for (ParsedDocument.Span s : spans) {
            if (s.charEnd() > charStart && s.charStart() < charEnd) {
                out.add(new ParsedDocument.Span(
                        Math.max(0, s.charStart() - charStart),
                        Math.min(charEnd, s.charEnd()) - charStart,
                        s.box(),
                        s.startMs(),
                        s.endMs()));
            }
        }
        return out;
    }

    /**
     * Narrows a locator to the spans overlapping {@code [from, to)} (offsets relative to the spans' origin): the
     * union of their boxes and the first start to the last end of their times. Fields the spans do not give are
     * kept from the locator.
     */
    public static Locator narrow(Locator locator, List<ParsedDocument.Span> spans, int from, int to) {
        BoundingBox box = null;
        Long start = null;
        Long end = null;
        for (ParsedDocument.Span s : spans) {
            if (s.charEnd() > from && s.charStart() < to) {
                if (s.box() != null) {
                    box = box == null ? s.box() : box.union(s.box());
                }
                if (s.startMs() != null) {
                    start = start == null ? s.startMs() : Math.min(start, s.startMs());
                }
                if (s.endMs() != null) {
                    end = end == null ? s.endMs() : Math.max(end, s.endMs());
                }
            }
        }
        Locator out = locator;
        if (box != null) {
            out = out.withBbox(box);
        }
        if (start != null && end != null) {
            out = out.withTime(start, end);
        }
        return out;
    }

    public static String toJson(List<ParsedDocument.Span> spans) {
        if (spans.isEmpty()) {
            return null;
        }
        ArrayNode all = JSON.createArrayNode();
        for (ParsedDocument.Span s : spans) {
            ArrayNode a = all.addArray().add(s.charStart()).add(s.charEnd());
            if (s.box() != null) {
                a.add(round(s.box().x()))
                        .add(round(s.box().y()))
                        .add(round(s.box().w()))
                        .add(round(s.box().h()));
            } else if (s.startMs() != null) {
                a.add(s.startMs()).add(s.endMs());
            }
        }
        return all.toString();
    }

    public static List<ParsedDocument.Span> fromJson(String json) {
        List<ParsedDocument.Span> out = new ArrayList<>();
        if (json == null || json.isBlank()) {
            return out;
        }
        try {
            for (JsonNode a : JSON.readTree(json)) {
                int start = a.get(0).asInt();
                int end = a.get(1).asInt();
                if (a.size() == 6) {
                    double x = a.get(2).asDouble();
                    double y = a.get(3).asDouble();
                    out.add(new ParsedDocument.Span(
                            start,
                            end,
                            new BoundingBox(
                                    x,
                                    y,
                                    Math.min(1 - x, a.get(4).asDouble()),
                                    Math.min(1 - y, a.get(5).asDouble())),
                            null,
                            null));
                } else if (a.size() == 4) {
                    out.add(new ParsedDocument.Span(
                            start, end, null, a.get(2).asLong(), a.get(3).asLong()));
                }
            }
        } catch (Exception e) {
            // unreadable spans only lose the narrowing, never the citation
            return new ArrayList<>();
        }
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
