package dev.omnirag.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keyword search across accents and in Chinese, Japanese and Korean; an index keeps the analysis it was built with. */
class TextAnalysisTest {

    private static final float[] V = {1, 0, 0, 0};

    @TempDir
    Path dir;

    private static LuceneHybridIndex.Builder builder(Path path) {
        return LuceneHybridIndex.builder().path(path).dimensions(V.length);
    }

    private static IndexedChunk chunk(String id, String text) {
        return new IndexedChunk(id, "d-" + id, id + ".txt", "text/plain", text, V, null, null);
    }

    private static List<String> keyword(LuceneHybridIndex index, String query) {
        return index.search(SearchRequest.of(query, null, 10, SearchMode.KEYWORD)).stream()
                .map(SearchHit::chunkId)
                .toList();
    }

    @Test
    void aWordIsFoundWithOrWithoutItsAccentsAndACjkWordOnlyWhereItsCharactersStandTogether() {
        try (LuceneHybridIndex index = builder(dir.resolve("i")).build()) {
            assertThat(index.textAnalysis()).contains(TextAnalysis.CURRENT);
            index.upsert(List.of(
                    chunk("fr", "Le café de Müller ouvre à huit heures."),
                    chunk("zh-db", "数据库系统的设计与实现"),
                    chunk("zh-math", "数学的历史很长"),
                    chunk("ja", "東京の天気は晴れです"),
                    chunk("ko", "서울의 날씨는 맑습니다"),
                    chunk("wide", "ＡＢＣ社の年次報告")));

            assertThat(keyword(index, "cafe")).containsExactly("fr");
            assertThat(keyword(index, "CAFÉ")).containsExactly("fr");
            assertThat(keyword(index, "muller")).containsExactly("fr");
            // One term per Han character would match the history of mathematics too, through 数.
            assertThat(keyword(index, "数据库")).containsExactly("zh-db");
            assertThat(keyword(index, "历史")).containsExactly("zh-math");
            assertThat(keyword(index, "天気")).containsExactly("ja");
            assertThat(keyword(index, "날씨는")).containsExactly("ko");
            assertThat(keyword(index, "abc")).containsExactly("wide");
        }
    }

    @Test
    void anIndexWrittenBeforeTheRecordKeepsEnglishAnalysisAndANewOneKeepsItsOwnAcrossReopening() throws IOException {
        Path legacy = dir.resolve("legacy");
        try (EnglishAnalyzer english = new EnglishAnalyzer();
                LuceneHybridIndex index = builder(legacy).analyzer(english).build()) {
            assertThat(index.textAnalysis()).isEmpty();
            index.upsert(List.of(chunk("fr", "Le café")));
        }
        try (LuceneHybridIndex index = builder(legacy).build()) {
            assertThat(index.textAnalysis()).contains(TextAnalysis.ENGLISH);
            // Its terms keep their accents; a folding query would no longer find them.
            assertThat(keyword(index, "café")).containsExactly("fr");
            index.upsert(List.of(chunk("fr2", "Un autre café")));
        }
        assertThat(TextAnalysis.of(legacy)).isEqualTo(TextAnalysis.ENGLISH);

        Path fresh = dir.resolve("fresh");
        try (LuceneHybridIndex index = builder(fresh).build()) {
            index.upsert(List.of(chunk("fr", "Le café")));
        }
        assertThat(TextAnalysis.of(fresh)).isEqualTo(TextAnalysis.CURRENT);
        try (LuceneHybridIndex index = builder(fresh).build()) {
            assertThat(index.textAnalysis()).contains(TextAnalysis.CURRENT);
            assertThat(keyword(index, "cafe")).containsExactly("fr");
        }
    }

    @Test
    void anEmptyIndexWithoutARecordTakesTheCurrentAnalysis() throws IOException {
        Path empty = dir.resolve("empty");
        try (EnglishAnalyzer english = new EnglishAnalyzer();
                LuceneHybridIndex index = builder(empty).analyzer(english).build()) {
            index.commit();
        }
        assertThat(TextAnalysis.of(empty)).isEqualTo(TextAnalysis.CURRENT);
        assertThat(TextAnalysis.of(dir.resolve("none"))).isEqualTo(TextAnalysis.CURRENT);
    }

    /** Collections in English score exactly as before: ASCII text gives EnglishAnalyzer's terms, one for one. */
    @Test
    void asciiTextIsAnalysedExactlyAsByLucenesEnglishAnalyzer() throws IOException {
        String property = System.getProperty("tests.seed");
        long seed = property == null || property.isBlank() ? new Random().nextLong() : Long.parseLong(property.trim());
        System.out.println("TextAnalysisTest seed=" + seed);
        Random random = new Random(seed);
        String[] words = {
            "The", "boundary", "layer's", "flows", "running", "AT&T", "U.S.A.", "e-mail", "x2", "3.14", "1,000",
            "don't", "it's", "Mach", "NASA", "an", "of", "heat-transfer", "O'Neil", "co-operation", "ies", "studies",
            "(a)", "[b]", "--", "#1", "50%", "a/b", "C++", "jane@example.com", "http://x.org/a?b=c", "THE", "Flows."
        };
        try (Analyzer english = TextAnalysis.ENGLISH.newAnalyzer();
                Analyzer current = TextAnalysis.CURRENT.newAnalyzer()) {
            for (int text = 0; text < 200; text++) {
                StringBuilder sb = new StringBuilder();
                for (int w = 0, n = 1 + random.nextInt(40); w < n; w++) {
                    sb.append(words[random.nextInt(words.length)]);
                    sb.append(random.nextInt(10) == 0 ? "\n" : random.nextInt(8) == 0 ? ", " : " ");
                }
                String s = sb.toString();
                assertThat(terms(current, s)).as("seed=%d text=%s", seed, s).isEqualTo(terms(english, s));
            }
        }
    }

    private static List<String> terms(Analyzer analyzer, String text) throws IOException {
        List<String> out = new ArrayList<>();
        try (TokenStream stream = analyzer.tokenStream("text", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                out.add(term.toString());
            }
            stream.end();
        }
        return out;
    }
}
