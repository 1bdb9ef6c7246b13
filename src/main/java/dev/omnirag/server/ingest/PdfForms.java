package dev.omnirag.server.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDField;
import org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField;
import org.apache.pdfbox.pdmodel.interactive.form.PDTerminalField;

/**
 * The filled fields of a PDF form (AcroForm) as lines of text, by the page their first widget is drawn on: a field's
 * value under its label (the tooltip a form shows, else the field's name). Empty fields and unticked boxes give
 * nothing: a blank tax form lists 300 fields such as {@code p1-t24[0]}, which indexed were noise in every search and
 * half the form's chunks. Signatures are left out (a signature's value is binary). Stateless.
 */
final class PdfForms {

    private PdfForms() {}

    /** Lines by page number (1-based); a field whose page is unknown goes on the last page. Empty without a form. */
    static Map<Integer, List<String>> filledFields(PDDocument doc) throws IOException {
        // No fix-ups: reading a form must not build appearance streams or otherwise change it.
        PDAcroForm form = doc.getDocumentCatalog().getAcroForm(null);
        if (form == null) {
            return Map.of();
        }
        Map<Integer, List<String>> out = new TreeMap<>();
        Map<COSDictionary, Integer> pageOfWidget = null;
        for (PDField field : form.getFieldTree()) {
            if (!(field instanceof PDTerminalField terminal) || field instanceof PDSignatureField) {
                continue;
            }
            String value = field.getValueAsString();
            if (value == null || value.isBlank() || value.equals("Off")) {
                continue;
            }
            if (pageOfWidget == null) {
                pageOfWidget = widgetPages(doc);
            }
            int page = doc.getNumberOfPages();
            for (PDAnnotationWidget widget : terminal.getWidgets()) {
                Integer p = pageOfWidget.get(widget.getCOSObject());
                if (p != null) {
                    page = p;
                    break;
                }
            }
            String label = field.getAlternateFieldName();
            if (label == null || label.isBlank()) {
                label = field.getPartialName();
            }
            String line = label == null || label.isBlank() ? value.strip() : label.strip() + ": " + value.strip();
            out.computeIfAbsent(page, k -> new ArrayList<>()).add(line);
        }
        return out;
    }

    /** The page (1-based) each annotation is drawn on: a widget's own page entry is optional and often missing. */
    private static Map<COSDictionary, Integer> widgetPages(PDDocument doc) throws IOException {
        Map<COSDictionary, Integer> pages = new HashMap<>();
        int number = 0;
        for (PDPage page : doc.getPages()) {
            number++;
            for (PDAnnotation annotation : page.getAnnotations()) {
                pages.putIfAbsent(annotation.getCOSObject(), number);
            }
        }
        return pages;
    }
}
