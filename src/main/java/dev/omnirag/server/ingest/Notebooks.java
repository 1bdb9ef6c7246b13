package dev.omnirag.server.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Reads a Jupyter notebook ({@code .ipynb}, nbformat 4) as what a reader of it sees: each Markdown cell's text, each
 * code cell's source, and what the cells printed (stream output, the plain-text form of results: "AUC 0.81", a
 * table's rows, and errors) — not the JSON around them, whose escapes, keys and base64 plots would otherwise be the
 * document's text. Cells are separated by blank lines, in order. Plots among the outputs are left out. Thread safe.
 */
final class Notebooks {

    /** The media type given to a notebook (Tika has no detector or parser for it). */
    static final String TYPE = "application/x-ipynb+json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Notebooks() {}

    /** Whether a file of this name and detected type is a notebook: an {@code .ipynb} whose bytes are text. */
    static boolean isNotebook(String filename, String detected) {
        return filename != null
                && filename.toLowerCase(Locale.ROOT).endsWith(".ipynb")
                && (detected.equals("text/plain") || detected.equals("application/json"));
    }

    /**
     * @throws IngestException.BadFile when the file is not a notebook's JSON, or its text exceeds {@code maxChars}
     */
    static ParsedDocument parse(Path file, long maxChars) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IngestException.BadFile("cannot read the file as a Jupyter notebook: " + e.getOriginalMessage());
        }
        JsonNode cells = root == null ? null : root.get("cells");
        if (cells == null || !cells.isArray()) {
            throw new IngestException.BadFile("cannot read the file as a Jupyter notebook: it has no \"cells\" "
                    + "(notebooks before nbformat 4 are not read)");
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode cell : cells) {
            String type = cell.path("cell_type").asText();
            if (type.equals("markdown") || type.equals("code") || type.equals("raw")) {
                add(text, joined(cell.get("source")));
            }
            for (JsonNode output : cell.path("outputs")) {
                String kind = output.path("output_type").asText();
                if (kind.equals("stream")) {
                    add(text, joined(output.get("text")));
                } else if ((kind.equals("execute_result") || kind.equals("display_data"))
                        && !picture(output.path("data"))) {
                    add(text, joined(output.path("data").get("text/plain")));
                } else if (kind.equals("error")) {
                    add(
                            text,
                            output.path("ename").asText() + ": "
                                    + output.path("evalue").asText());
                }
            }
            if (text.length() > maxChars) {
                throw new IngestException.BadFile(
                        "the file has more than " + maxChars + " characters of text (omnirag.ingest.max-text-chars)");
            }
        }
        if (text.isEmpty()) {
            throw new IngestException.BadFile("the notebook has no text: its cells are empty");
        }
        return new ParsedDocument(List.of(new ParsedDocument.Page(1, text.toString())), false);
    }

    /** A notebook's multi-line string: a list of lines, or one string. */
    private static String joined(JsonNode node) {
        if (node == null || node.isNull()) {
            return "";
        }
        if (!node.isArray()) {
            return node.asText();
        }
        StringBuilder out = new StringBuilder();
        node.forEach(line -> out.append(line.asText()));
        return out.toString();
    }

    /** A plot's output: its plain-text form is only its Python repr ("<Figure size 640x480 with 1 Axes>"). */
    private static boolean picture(JsonNode data) {
        for (var names = data.fieldNames(); names.hasNext(); ) {
            if (names.next().startsWith("image/")) {
                return true;
            }
        }
        return false;
    }

    /** Appends a part after a blank line; its leading spaces stay (a printed table's header is aligned by them). */
    private static void add(StringBuilder text, String part) {
        String stripped = part.replaceFirst("^\\s*\\n", "").stripTrailing();
        if (!stripped.isEmpty()) {
            if (!text.isEmpty()) {
                text.append("\n\n");
            }
            text.append(stripped);
        }
    }
}
