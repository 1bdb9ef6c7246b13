package dev.omnirag.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotebooksTest {

    /** A notebook as Jupyter saves it (nbformat 4): a Markdown cell, a code cell with outputs, a plot and an error. */
    private static final String NOTEBOOK = """
            {"cells": [
              {"cell_type": "markdown", "metadata": {},
               "source": ["# Churn model\\n", "\\n", "We fit a logistic regression on customer tenure."]},
              {"cell_type": "code", "execution_count": 3, "metadata": {},
               "outputs": [
                 {"name": "stdout", "output_type": "stream", "text": ["AUC on the holdout: 0.81\\n"]},
                 {"output_type": "execute_result", "execution_count": 3, "metadata": {},
                  "data": {"text/plain": ["   tenure  churned\\n", "0      12     True"], "text/html": ["<table>"]}},
                 {"output_type": "display_data", "metadata": {},
                  "data": {"image/png": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
                           "text/plain": ["<Figure size 640x480 with 1 Axes>"]}}],
               "source": "model.fit(X, y)\\nprint('AUC on the holdout:', auc)"},
              {"cell_type": "code", "execution_count": 4, "metadata": {},
               "outputs": [{"output_type": "error", "ename": "KeyError", "evalue": "'region'", "traceback": ["..."]}],
               "source": ["df['region']"]}
             ],
             "metadata": {"kernelspec": {"display_name": "Python 3", "name": "python3"}},
             "nbformat": 4, "nbformat_minor": 5}
            """;

    @Test
    void aNotebookIsReadAsItsCellsAndPrintedOutputsNotItsJson(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("churn.ipynb");
        Files.writeString(file, NOTEBOOK);
        DocumentParser parser = new DocumentParser(false);

        String type = parser.detect(file, "churn.ipynb");
        String text = parser.parse(file, type, "churn.ipynb").pages().getFirst().text();

        assertThat(type).isEqualTo(Notebooks.TYPE);
        assertThat(parser.supports(type)).isTrue();
        assertThat(text)
                .startsWith("# Churn model\n\nWe fit a logistic regression on customer tenure.\n\n")
                .contains("model.fit(X, y)\nprint('AUC on the holdout:', auc)")
                .contains("AUC on the holdout: 0.81")
                .contains("   tenure  churned\n0      12     True")
                .contains("KeyError: 'region'")
                .doesNotContain("cell_type")
                .doesNotContain("iVBORw0KGgo")
                .doesNotContain("<table>");
        assertThat(parser.detect(file, "churn.json")).isNotEqualTo(Notebooks.TYPE);
    }

    @Test
    void aFileNamedIpynbThatIsNotANotebookGetsAReason(@TempDir Path tmp) throws IOException {
        Path broken = tmp.resolve("broken.ipynb");
        Files.writeString(broken, "{\"cells\": [ {\"cell_type\": ");
        Path other = tmp.resolve("other.ipynb");
        Files.writeString(other, "{\"worksheets\": []}");
        DocumentParser parser = new DocumentParser(false);

        assertThatThrownBy(() -> parser.parse(broken, parser.detect(broken, "broken.ipynb"), "broken.ipynb"))
                .isInstanceOf(IngestException.BadFile.class)
                .hasMessageStartingWith("cannot read the file as a Jupyter notebook");
        assertThatThrownBy(() -> parser.parse(other, parser.detect(other, "other.ipynb"), "other.ipynb"))
                .isInstanceOf(IngestException.BadFile.class)
                .hasMessageContaining("nbformat 4");
    }
}
