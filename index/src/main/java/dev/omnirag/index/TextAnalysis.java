package dev.omnirag.index;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.StopwordAnalyzerBase;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
import org.apache.lucene.analysis.cjk.CJKWidthCharFilter;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * How {@link LuceneHybridIndex} analyses its text field and keyword queries. An index records the analysis it was
 * built with in its commits' user data ({@value #COMMIT_KEY}) and keeps it for good, since terms written one way are
 * not found by queries analysed another way: an index that holds chunks but no record predates the record and was
 * built with {@link #ENGLISH}; a new or empty index takes {@link #CURRENT}.
 */
public enum TextAnalysis {
    /** Lucene's {@link EnglishAnalyzer} as it is: what indexes written before the record was kept use. */
    ENGLISH,
    /**
     * {@link #ENGLISH} that also finds words across accents ({@code café} = {@code cafe}, {@code Müller} =
     * {@code muller}), full-width letters as their ASCII forms, and Chinese, Japanese and Korean text by overlapping
     * pairs of characters ({@code 数据库} = {@code 数据 据库}), where {@link #ENGLISH} makes one term of every Han
     * character, so that a search for a word matches every text sharing any of its characters. Text in plain ASCII
     * is analysed exactly as by {@link #ENGLISH}.
     */
    ENGLISH_FOLDED_CJK;

    /** What a new index is built with. */
    public static final TextAnalysis CURRENT = ENGLISH_FOLDED_CJK;

    /** The commit user data key under which an index records its analysis. */
    static final String COMMIT_KEY = "omnirag.text-analysis";

    /** A new analyzer doing this analysis; the caller closes it. */
    public Analyzer newAnalyzer() {
        return switch (this) {
            case ENGLISH -> new EnglishAnalyzer();
            case ENGLISH_FOLDED_CJK -> new FoldedCjkEnglishAnalyzer();
        };
    }

    /** The commit user data that records this analysis. */
    Map<String, String> commitData() {
        return Map.of(COMMIT_KEY, name());
    }

    /**
     * The analysis of the index at {@code path}: the one its last commit records, {@link #ENGLISH} for one with chunks
     * and no record, {@link #CURRENT} where there is no index or an empty one.
     *
     * @throws IndexException.NonRetriable when the index records an analysis this version does not know
     */
    static TextAnalysis of(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return CURRENT;
        }
        try (Directory dir = FSDirectory.open(path)) {
            if (!DirectoryReader.indexExists(dir)) {
                return CURRENT;
            }
            SegmentInfos commit = SegmentInfos.readLatestCommit(dir);
            String recorded = commit.getUserData().get(COMMIT_KEY);
            if (recorded == null) {
                return commit.totalMaxDoc() == 0 ? CURRENT : ENGLISH;
            }
            try {
                return valueOf(recorded);
            } catch (IllegalArgumentException e) {
                throw new IndexException.NonRetriable("index at " + path + " was built with text analysis " + recorded
                        + ", which this version does not know; use the version that built it or rebuild the index");
            }
        }
    }

    /**
     * {@link EnglishAnalyzer}'s chain (standard tokenizer, English possessives, lower case, English stop words, Porter
     * stemmer) with full-width forms folded first, CJK bigrams after lower-casing and accents folded before the stop
     * words, so that every step sees what {@link EnglishAnalyzer} would give it for ASCII text.
     */
    private static final class FoldedCjkEnglishAnalyzer extends StopwordAnalyzerBase {

        FoldedCjkEnglishAnalyzer() {
            super(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
        }

        @Override
        protected Reader initReader(String fieldName, Reader reader) {
            return new CJKWidthCharFilter(reader);
        }

        @Override
        protected Reader initReaderForNormalization(String fieldName, Reader reader) {
            return new CJKWidthCharFilter(reader);
        }

        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
            Tokenizer source = new StandardTokenizer();
            TokenStream result = new EnglishPossessiveFilter(source);
            result = new LowerCaseFilter(result);
            result = new CJKBigramFilter(result);
            result = new ASCIIFoldingFilter(result);
            result = new StopFilter(result, stopwords);
            result = new PorterStemFilter(result);
            return new TokenStreamComponents(source, result);
        }

        @Override
        protected TokenStream normalize(String fieldName, TokenStream in) {
            return new ASCIIFoldingFilter(new LowerCaseFilter(in));
        }
    }
}
