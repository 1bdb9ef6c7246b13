package dev.omnirag.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.TypeAttribute;

/**
 * Chinese, Japanese and Korean text written as its overlapping pairs of characters between spaces, for a full-text
 * engine that splits words at spaces only: PostgreSQL's parser makes one word of a whole run of Han characters (a
 * sentence, as Chinese has no spaces), which no query of one word ever matches. The pairs are {@link CJKBigramFilter}'s,
 * as {@link TextAnalysis#ENGLISH_FOLDED_CJK} indexes them in Lucene. Thread safe.
 */
final class CjkBigrams {

    private static final Analyzer PAIRS = new Analyzer() {
        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
            Tokenizer source = new StandardTokenizer();
            return new TokenStreamComponents(source, new CJKBigramFilter(source));
        }
    };

    private CjkBigrams() {}

    /**
     * {@code text} with each run of CJK characters replaced by its pairs (a lone character by itself), each between
     * spaces: {@code "用数据库"} → {@code " 用数 数据 据库 "}; the same string where it has none.
     */
    static String spaced(String text) {
        if (text == null || !hasCjk(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() * 2);
        int copied = 0;
        try (TokenStream stream = PAIRS.tokenStream("text", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            OffsetAttribute offset = stream.addAttribute(OffsetAttribute.class);
            TypeAttribute type = stream.addAttribute(TypeAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                String t = type.type();
                if (!t.equals(CJKBigramFilter.DOUBLE_TYPE) && !t.equals(CJKBigramFilter.SINGLE_TYPE)) {
                    continue;
                }
                if (offset.startOffset() > copied) {
                    out.append(text, copied, offset.startOffset());
                }
                out.append(' ').append(term).append(' ');
                copied = Math.max(copied, offset.endOffset());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        }
        return out.append(text, Math.min(copied, text.length()), text.length()).toString();
    }

    private static boolean hasCjk(String text) {
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (cp >= 0x1100) {
                Character.UnicodeScript script = Character.UnicodeScript.of(cp);
                if (script == Character.UnicodeScript.HAN
                        || script == Character.UnicodeScript.HIRAGANA
                        || script == Character.UnicodeScript.KATAKANA
                        || script == Character.UnicodeScript.HANGUL) {
                    return true;
                }
            }
            i += Character.charCount(cp);
        }
        return false;
    }
}
