package dev.omnirag.generator;

import dev.omnirag.embeddings.Embedder;
import dev.omnirag.embeddings.EmbeddingException;
import dev.omnirag.embeddings.Vectors;
import dev.omnirag.generator.text.SentenceSplitter;
import dev.omnirag.generator.text.TableText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Answers by quoting: picks the sentences of the sources that best answer the question and cites each one.
 * No language model is involved, so it is fast, cannot hallucinate and is the default generator.
 *
 * <p>How: each source is split into sentences ({@link Sentences}; fragments under 4 words, unless they end as a
 * sentence ("Bake for 45 minutes."), and mostly non-letter fragments such as tables and code are skipped). Sentences
 * are pre-selected by lexical overlap with the question's content words (IDF-weighted over the request's sentences;
 * a word that only the heading of the sentence's section says counts half, {@link #SECTION_WEIGHT}) down to
 * {@code candidateSentences}; those are embedded and scored as
 * {@code relevance = 0.6 * cosine(question, sentence) + 0.4 * lexical}. Sentences are ranked by
 * relevance plus a bonus of up to 0.03 for higher-ranked sources (source order is retrieval rank), near-duplicates
 * are dropped.
 *
 * <p>Honest answers, in three bands of relevance: a sentence under {@code minScore} says nothing about the question
 * and is never shown; when the best sentence reaches {@code answerScore} the best {@code maxSentences} of those
 * reaching it form the answer in rank order, each followed by its {@code [n]} marker and cited as strong
 * ({@link Citation#strong()}; a weak sentence after a strong one would add noise, not evidence); when the best
 * sentence lies between
 * the two, the evidence is too weak to answer from and the answer is {@link #NO_ANSWER} followed by the closest
 * passages, cited as weak, for the reader to look at ({@link #CLOSEST}); when none reaches {@code minScore} the
 * answer is {@link #NO_ANSWER} alone. {@code answerScore} is calibrated on the judged queries of the evaluation
 * pool (docs/evaluation.md). For the time to first text, the candidates with the most lexical overlap are scored
 * first: the best one ({@link #LEAD_CANDIDATES}), then the best {@link #EARLY_CANDIDATES}; a strong sentence among
 * them is sent at once as the answer's first and the rest of the answer is chosen after it among all candidates.
 * When none of them is strong, {@link #NO_ANSWER} is sent then, and withdrawn ({@link AnswerListener#onRestart()})
 * should a later candidate turn out strong (only to a listener that {@linkplain AnswerListener#acceptsRestart()
 * accepts restarts}; others get it once all candidates are scored); the final answer is the one all candidates give.
 * Sentences whose vectors came with their source ({@link Source#sentenceVectors()}, made ahead of time) are not
 * embedded and are all scored before any is sent, so when every candidate's vector is at hand the answer's first
 * sentence is the best one and nothing is embedded but the question.
 *
 * <p>A keyword-like question ("pdf.js", "TraceMonkey speedup": at most three words, no question mark, not opening
 * with a question word) asks where something is said: the answer is the first source, in retrieval order, that
 * contains one of its words as written, quoted at the sentence or line that holds it (a heading with the sentence
 * under it, which starts the section it names).
 *
 * <p>In a conversation the previous question counts too, as in retrieval: its words join the lexical weights at
 * half weight and its embedding is added to the question's at half weight, so a follow-up ("what else did he
 * say?") is answered with what the question before it named.
 *
 * <p>The answer text shows sentences with whitespace normalised and line-break hyphenation undone, for
 * reading; the citations quote the source text exactly.
 *
 * <p>Immutable and thread safe (the {@link Embedder} is). Each call embeds the question and up to
 * {@code candidateSentences} sentences (none whose vectors came with the sources), so it is CPU-bound for a fraction
 * of a second with bge-small, or a few milliseconds when the sentence vectors are at hand.
 *
 * <p>Long because the extractive answer's three bands, its early first sentence, keyword-like questions and follow-ups
 * share one scoring of candidate sentences, and its builder validates each setting.
 */
public final class ExtractiveGenerator implements Generator {

    /** The answer when the sources say nothing about the question. */
    public static final String NO_ANSWER = "I could not find an answer to that in the documents.";

    /**
     * Default least relevance, measured with bge-small-en-v1.5 on the TraceMonkey paper and short cooking
     * texts: sentences that answer score 0.44 (weak paraphrase) to 0.89 ("2x-20x speedup for traceable
     * programs"); the best sentence for an unrelated question scores at most 0.33 without shared words and
     * 0.38 when a common word happens to match (aspirin "side effects" vs "effects of inlining").
     */
    public static final double DEFAULT_MIN_SCORE = 0.40;

    /**
     * Default relevance the best sentence must reach for an answer (and a citation to be strong), chosen on the
     * judged queries of Cranfield, CACM and NPL by the F1 of answering (docs/evaluation.md, {@code deploy/omnirag
     * calibrate-answers}).
     */
    public static final double DEFAULT_ANSWER_SCORE = 0.58;

    /** Follows {@link #NO_ANSWER} when passages between {@code minScore} and {@code answerScore} are shown. */
    public static final String CLOSEST = " The closest passages:";

    /** Passages shown after {@link #NO_ANSWER} when the evidence is weak. */
    static final int CLOSEST_PASSAGES = 2;

    /**
     * Candidates (those with the most lexical overlap) scored before the others: a strong sentence among them is sent
     * at once, so the answer's first text comes after a handful of sentence embeddings, not all of them.
     */
    static final int LEAD_CANDIDATES = 1;

    /**
     * Candidates scored (with the lead) before the answer is declared unlikely: when none of them is strong, "no
     * answer" is sent then, and withdrawn should a later candidate be strong.
     */
    static final int EARLY_CANDIDATES = 6;

    /** Weight of the previous question in a follow-up, for words and embedding alike. */
    static final double FOLLOW_UP_WEIGHT = 0.5;

    /** Questions of at most this many words, without a question mark or question word, are keyword-like. */
    static final int KEYWORD_WORDS = 3;

    private static final Set<String> QUESTION_WORDS = Set.of(
            "what",
            "which",
            "who",
            "whom",
            "whose",
            "when",
            "where",
            "why",
            "how",
            "is",
            "are",
            "was",
            "were",
            "do",
            "does",
            "did",
            "can",
            "could",
            "should",
            "would",
            "will",
            "has",
            "have",
            "list",
            "explain",
            "describe",
            "summarize",
            "summarise",
            "tell",
            "show",
            "give",
            "find");

    /** Longest quote of a keyword answer that is not a sentence (a line of a table, a caption). */
    static final int KEYWORD_QUOTE_CHARS = 300;

    /** Longest line (in words) that a keyword-like question's answer reads as a heading over its first sentence. */
    static final int HEADING_WORDS = Sentences.HEADING_WORDS;

    /** Weight of embedding similarity in relevance; the rest is lexical overlap. */
    static final double EMBEDDING_WEIGHT = 0.6;
    /**
     * Share of a question word's weight that a sentence gets when only its section's heading says the word: "Bake for
     * 45 minutes." under "Lemon cake" answers how long a lemon cake bakes.
     */
    static final double SECTION_WEIGHT = 0.5;
    /** Bonus of the top-ranked source; it falls linearly to 0 after the last. */
    static final double SOURCE_RANK_BONUS = 0.03;
    /** Token-set Jaccard similarity from which two sentences count as the same statement. */
    private static final double DUPLICATE_JACCARD = 0.8;

    private final Embedder embedder;
    private final int maxSentences;
    private final double minScore;
    private final double answerScore;
    private final int candidateSentences;
    private final Locale locale;
    private final SentenceSplitter splitter;

    private ExtractiveGenerator(Builder b) {
        this.embedder = b.embedder;
        this.maxSentences = b.maxSentences;
        this.minScore = b.minScore;
        this.answerScore = b.answerScore;
        this.candidateSentences = b.candidateSentences;
        this.locale = b.locale;
        this.splitter = SentenceSplitter.forLocale(b.locale);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "extractive";
    }

    @Override
    public Answer generate(GenerationRequest request, AnswerListener listener) {
        Objects.requireNonNull(request, "request must not be null");
        Objects.requireNonNull(listener, "listener must not be null");
        if (keywordLike(request.question())) {
            Found found = keywordPassage(request);
            if (found != null) {
                String delta = found.display() + " " + found.citation().marker();
                listener.onCitation(found.citation());
                listener.onDelta(delta);
                return new Answer(delta, List.of(found.citation()));
            }
        }
        Candidates candidates = candidates(request);
        List<Scored> preselected = candidates.preselected();
        if (preselected.isEmpty()) {
            listener.onDelta(NO_ANSWER);
            return new Answer(NO_ANSWER, List.of());
        }
        int sourceCount = request.sources().size();
        StringBuilder text = new StringBuilder();
        List<Citation> citations = new ArrayList<>();
        // Candidates whose vectors came with their source cost nothing to score: all of them are scored first. When
        // every candidate's vector is at hand, the answer's first sentence is simply the best one.
        List<Scored> scored = embedded(
                preselected.stream().filter(c -> known(c, request) != null).toList(),
                candidates.question(),
                sourceCount,
                request);
        List<Scored> toEmbed =
                preselected.stream().filter(c -> known(c, request) == null).toList();
        // Time to first text: the candidates with the most lexical overlap are scored first, in two steps; a strong
        // one among them (or among those at hand) is sent at once as the answer's first sentence. When none of them
        // is strong the answer is most likely "no answer", which is sent then; should a later candidate be strong
        // after all, that text is void (onRestart) and the answer follows. The final answer is the same either way.
        Scored lead = null;
        int scoredUpTo = 0;
        for (int step : new int[] {LEAD_CANDIDATES, EARLY_CANDIDATES}) {
            int to = Math.min(step, toEmbed.size());
            scored.addAll(embedded(toEmbed.subList(scoredUpTo, to), candidates.question(), sourceCount, request));
            scoredUpTo = to;
            Scored best = scored.stream()
                    .max(Comparator.comparingDouble(Scored::rank))
                    .orElse(null);
            if (best != null && best.relevance() >= answerScore) {
                lead = best;
                emit(request, lead, true, citations, text, listener);
                break;
            }
        }
        boolean declined = lead == null && listener.acceptsRestart();
        if (declined) {
            text.append(NO_ANSWER);
            listener.onDelta(NO_ANSWER);
        }
        scored.addAll(
                embedded(toEmbed.subList(scoredUpTo, toEmbed.size()), candidates.question(), sourceCount, request));
        scored.sort(Comparator.comparingDouble(Scored::rank).reversed());
        List<Scored> already = lead == null ? List.of() : List.of(lead);
        List<Scored> more = choose(scored, maxSentences, already);
        boolean answered = lead != null || (!more.isEmpty() && more.getFirst().relevance() >= answerScore);
        if (declined && answered) {
            // A strong sentence among the later candidates: the "no answer" sent early is void.
            listener.onRestart();
            text.setLength(0);
        }
        if (!answered && !declined) {
            text.append(NO_ANSWER);
            listener.onDelta(NO_ANSWER);
        }
        if (answered) {
            // A weak sentence after a strong one adds noise, not evidence ("Bake for 45 minutes." then "Add the zest
            // of two lemons."): an answer quotes strong sentences only; weak ones are for when there is no answer.
            more = more.stream().filter(m -> m.relevance() >= answerScore).toList();
        }
        if (!answered) {
            if (more.isEmpty()) {
                return new Answer(text.toString(), List.of());
            }
            more = more.subList(0, Math.min(CLOSEST_PASSAGES, more.size()));
            String closest = CLOSEST + " ";
            text.append(closest);
            listener.onDelta(closest);
        }
        for (Scored s : more) {
            emit(request, s, answered, citations, text, listener);
        }
        return new Answer(text.toString(), citations);
    }

    /**
     * Cites {@code s} as the next sentence of the answer: its citation, then its text and marker. A sentence that
     * leads in to a list ("To connect the router:") is cited with the list's items, the steps it announces; a
     * sentence already quoted that way is not cited again, nor a heading right above a passage already quoted.
     */
    private void emit(
            GenerationRequest request,
            Scored s,
            boolean answered,
            List<Citation> citations,
            StringBuilder text,
            AnswerListener listener) {
        Candidate c = s.candidate();
        String source = request.sources().get(c.sourceIndex()).text();
        for (Citation earlier : citations) {
            if (earlier.sourceIndex() == c.sourceIndex()
                    && earlier.quoteStart() <= c.start()
                    && c.end() <= earlier.quoteEnd()) {
                return; // already quoted, as an item of a list cited with its lead-in
            }
            if (earlier.sourceIndex() == c.sourceIndex()
                    && earlier.quoteStart() >= c.end()
                    && source.substring(c.end(), earlier.quoteStart()).isBlank()
                    && heading(source.substring(c.start(), c.end()))) {
                return; // the heading of a passage already quoted says nothing more
            }
        }
        int end = c.end();
        String display = c.display();
        int listEnd = answered ? Sentences.listAfter(source, c.start(), c.end()) : -1;
        if (listEnd > 0) {
            end = listEnd;
            display = Sentences.listDisplay(source, c.start(), c.end(), listEnd);
        }
        int n = citations.size() + 1;
        Citation citation = Citation.of(n, c.sourceIndex(), request.sources().get(c.sourceIndex()), c.start(), end)
                .withStrong(s.relevance() >= answerScore);
        String shown = answered ? display : "\u201c" + display + "\u201d";
        // A list is Markdown (an item a line): what follows it starts a paragraph of its own.
        String lastLine = text.substring(text.lastIndexOf("\n") + 1);
        String separator = text.isEmpty() || text.charAt(text.length() - 1) == ' '
                ? ""
                : SentenceSplitter.isListItem(lastLine) ? "\n\n" : " ";
        String delta = separator + shown + " " + citation.marker();
        citations.add(citation);
        listener.onCitation(citation);
        listener.onDelta(delta);
        text.append(delta);
    }

    /**
     * Whether a candidate reads as a heading: one line of at most {@link #HEADING_WORDS} words that ends no sentence,
     * and no table row or list item (a row above a row already quoted is an answer of its own).
     */
    private static boolean heading(String sentence) {
        String line = sentence.strip();
        return line.indexOf('\n') < 0
                && line.split("\\s+").length <= HEADING_WORDS
                && !Sentences.endsSentence(line)
                && !TableText.isRow(line)
                && !SentenceSplitter.isListItem(line);
    }

    /**
     * How well the sources answer the question: the relevance of the best sentence (0 when no sentence reaches
     * {@code minScore}) and the source it lies in (-1 then), and whether that reaches {@code answerScore}. What
     * {@link #generate} decides with, for calibrating {@code answerScore} on judged queries.
     */
    public Evidence evidence(GenerationRequest request) {
        List<Scored> chosen = choose(score(request), 1);
        if (chosen.isEmpty()) {
            return new Evidence(0, -1, false);
        }
        Scored best = chosen.getFirst();
        return new Evidence(best.relevance(), best.candidate().sourceIndex(), best.relevance() >= answerScore);
    }

    /**
     * The evidence for an answer.
     *
     * @param relevance   relevance of the best sentence, 0..1 (0 when none reaches {@code minScore})
     * @param sourceIndex the source it lies in, -1 when none
     * @param answers     whether it reaches {@code answerScore}: the generator answers rather than pointing to passages
     */
    public record Evidence(double relevance, int sourceIndex, boolean answers) {}

    /** At most three words, no question mark, not opening with a question word: "pdf.js", "trace trees". */
    static boolean keywordLike(String question) {
        String q = question.strip();
        if (q.isEmpty() || q.endsWith("?")) {
            return false;
        }
        String[] words = q.split("\\s+");
        return words.length <= KEYWORD_WORDS && !QUESTION_WORDS.contains(words[0].toLowerCase(Locale.ROOT));
    }

    /**
     * The first source (retrieval order) that contains one of the question's words as written (case ignored; the
     * longest word first), quoted at the sentence holding it, or else at its line (at most
     * {@link #KEYWORD_QUOTE_CHARS} around the word); null when no source contains any.
     */
    private Found keywordPassage(GenerationRequest request) {
        List<String> words = new ArrayList<>();
        for (String w : request.question().strip().split("\\s+")) {
            String word = w.replaceAll("^[\\p{Punct}\u201c\u201d]+|[\\p{Punct}\u201c\u201d]+$", "");
            if (word.length() >= 2) {
                words.add(word.toLowerCase(Locale.ROOT));
            }
        }
        words.sort(Comparator.comparingInt(String::length).reversed());
        List<Source> sources = request.sources();
        for (int s = 0; s < sources.size(); s++) {
            String text = sources.get(s).text();
            String lower = text.toLowerCase(Locale.ROOT);
            for (String word : words) {
                int at = lower.indexOf(word);
                if (at < 0) {
                    continue;
                }
                for (Sentences.Span span : Sentences.split(text, splitter)) {
                    if (span.start() <= at && at < span.end()) {
                        return new Found(
                                Citation.of(1, s, sources.get(s), span.start(), span.end()),
                                Sentences.display(text, span));
                    }
                }
                int start = text.lastIndexOf('\n', at) + 1;
                int end = text.indexOf('\n', at);
                end = end < 0 ? text.length() : end;
                Found section = headingAndFirstSentence(sources, s, start, end);
                if (section != null) {
                    return section;
                }
                start = Math.max(start, at - KEYWORD_QUOTE_CHARS / 2);
                end = Math.min(end, Math.max(at + word.length(), start + KEYWORD_QUOTE_CHARS));
                while (start < at
                        && !Character.isWhitespace(text.charAt(start))
                        && start > 0
                        && !Character.isWhitespace(text.charAt(start - 1))) {
                    start++;
                }
                while (start < at && Character.isWhitespace(text.charAt(start))) {
                    start++;
                }
                while (end > at + word.length() && Character.isWhitespace(text.charAt(end - 1))) {
                    end--;
                }
                Citation citation = Citation.of(1, s, sources.get(s), start, end);
                return new Found(citation, Sentences.display(citation.quote()));
            }
        }
        return null;
    }

    /**
     * A heading (the line {@code lineStart..lineEnd} of source {@code s}, too short to be a sentence) quoted with the
     * sentence right under it, which starts what the heading names: "Wireless settings" is answered with the
     * section's first sentence, not its title alone. Null when the line is longer than {@link #HEADING_WORDS} words
     * or no prose sentence follows it.
     */
    private Found headingAndFirstSentence(List<Source> sources, int s, int lineStart, int lineEnd) {
        String text = sources.get(s).text();
        String heading = Sentences.display(Sentences.headingText(text.substring(lineStart, lineEnd)));
        if (heading.isEmpty() || heading.split(" ").length > HEADING_WORDS) {
            return null;
        }
        for (Sentences.Span span : Sentences.split(text, splitter)) {
            if (span.start() < lineEnd) {
                continue;
            }
            if (span.header() != null || !text.substring(lineEnd, span.start()).isBlank()) {
                return null;
            }
            String joint = heading.endsWith(":") ? " " : ": ";
            return new Found(
                    Citation.of(1, s, sources.get(s), lineStart, span.end()),
                    heading + joint + Sentences.display(text, span));
        }
        return null;
    }

    /**
     * The sentences of a source's text that an answer may quote, in text order, as they are embedded: the texts whose
     * {@link Embedder#embedDocuments} vectors an answer over this source computes (some of them), so they can be
     * embedded ahead of time and handed to the generator's embedder (a cache in front of it) instead.
     */
    public List<String> sentences(String text) {
        Objects.requireNonNull(text, "text must not be null");
        List<String> out = new ArrayList<>();
        for (Sentences.Span span : Sentences.split(text, splitter)) {
            out.add(Sentences.display(text, span));
        }
        return out;
    }

    /** The passage a keyword-like question found, and how the answer shows it. */
    private record Found(Citation citation, String display) {}

    /**
     * Scores every sentence of the request; only pre-selected candidates get an embedding score. Package
     * private so tests can measure the scores that {@code minScore} is calibrated on.
     */
    List<Scored> score(GenerationRequest request) {
        Candidates c = candidates(request);
        List<Scored> scored =
                embedded(c.preselected(), c.question(), request.sources().size(), request);
        scored.sort(Comparator.comparingDouble(Scored::rank).reversed());
        return scored;
    }

    /**
     * The sentences worth embedding (the best {@code candidateSentences} by lexical overlap, best first) and the
     * question's vector (blended with the previous question's in a follow-up); no candidates when the sources hold
     * no sentence.
     */
    private Candidates candidates(GenerationRequest request) {
        List<Candidate> sentences = new ArrayList<>();
        List<Source> sources = request.sources();
        for (int s = 0; s < sources.size(); s++) {
            String text = sources.get(s).text();
            List<int[]> headings = Sentences.headings(text);
            int heading = -1;
            Set<String> section = Set.of();
            for (Sentences.Span span : Sentences.split(text, splitter)) {
                while (heading + 1 < headings.size() && headings.get(heading + 1)[1] <= span.start()) {
                    heading++;
                    int[] line = headings.get(heading);
                    section = Terms.of(Sentences.headingText(text.substring(line[0], line[1])));
                }
                sentences.add(new Candidate(
                        s,
                        span.start(),
                        span.end(),
                        Sentences.display(text, span),
                        Terms.of(Sentences.matchText(text, span)),
                        section));
            }
        }
        if (sentences.isEmpty()) {
            return new Candidates(List.of(), null);
        }
        String previous = previousQuestion(request.history());
        Map<String, Double> weights = termWeights(Terms.of(request.question()), sentences);
        if (previous != null) {
            termWeights(Terms.of(previous), sentences)
                    .forEach((term, w) -> weights.putIfAbsent(term, FOLLOW_UP_WEIGHT * w));
        }
        double totalWeight =
                weights.values().stream().mapToDouble(Double::doubleValue).sum();
        List<Scored> lexical = new ArrayList<>(sentences.size());
        for (Candidate c : sentences) {
            double matched = 0;
            for (Map.Entry<String, Double> w : weights.entrySet()) {
                if (c.terms().contains(w.getKey())) {
                    matched += w.getValue();
                } else if (c.section().contains(w.getKey())) {
                    matched += SECTION_WEIGHT * w.getValue();
                }
            }
            lexical.add(new Scored(c, totalWeight == 0 ? 0 : matched / totalWeight, 0, 0, 0));
        }
        // Stable sort: ties keep source rank and document order, so without any overlap the top sources' first
        // sentences are the ones embedded.
        lexical.sort(Comparator.comparingDouble(Scored::lexical).reversed());
        float[] question;
        try {
            question = embedder.embedQuery(request.question());
            if (previous != null) {
                question = blend(question, embedder.embedQuery(previous));
            }
        } catch (EmbeddingException e) {
            throw failure("the question", e);
        }
        return new Candidates(List.copyOf(lexical.subList(0, Math.min(candidateSentences, lexical.size()))), question);
    }

    /** Pre-selected sentences, best lexical overlap first, and the question's vector (null when there are none). */
    private record Candidates(List<Scored> preselected, float[] question) {}

    /**
     * The candidates with their embedding scores, in the given order: the vectors their sources brought where there are
     * any, the others embedded (in one call).
     */
    private List<Scored> embedded(
            List<Scored> candidates, float[] question, int sourceCount, GenerationRequest request) {
        if (candidates.isEmpty()) {
            return new ArrayList<>();
        }
        float[][] vectors = new float[candidates.size()][];
        List<String> texts = new ArrayList<>();
        List<Integer> where = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            vectors[i] = known(candidates.get(i), request);
            if (vectors[i] == null) {
                texts.add(candidates.get(i).candidate().display());
                where.add(i);
            }
        }
        if (!texts.isEmpty()) {
            List<float[]> made;
            try {
                made = embedder.embedDocuments(texts);
            } catch (EmbeddingException e) {
                throw failure("the sentences", e);
            }
            for (int j = 0; j < made.size(); j++) {
                vectors[where.get(j)] = made.get(j);
            }
        }
        List<Scored> scored = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            Scored c = candidates.get(i);
            double cosine = Vectors.dot(question, vectors[i]);
            double relevance = EMBEDDING_WEIGHT * cosine + (1 - EMBEDDING_WEIGHT) * c.lexical();
            double bonus = SOURCE_RANK_BONUS * (sourceCount - c.candidate().sourceIndex()) / sourceCount;
            scored.add(new Scored(c.candidate(), c.lexical(), cosine, relevance, relevance + bonus));
        }
        return scored;
    }

    /** The vector of the candidate's sentence that its source brought, or null; only of this embedder's size. */
    private float[] known(Scored c, GenerationRequest request) {
        float[] v = request.sources()
                .get(c.candidate().sourceIndex())
                .sentenceVectors()
                .get(c.candidate().display());
        return v != null && v.length == embedder.dimensions() ? v : null;
    }

    private GenerationException failure(String what, EmbeddingException e) {
        String message = "cannot embed " + what + " with " + embedder.spaceName() + ": " + e.getMessage();
        return e.isRetriable()
                ? new GenerationException.Retriable(message, e)
                : new GenerationException.NonRetriable(message, e);
    }

    /** The newest earlier question of the conversation, or null. */
    private static String previousQuestion(List<ChatTurn> history) {
        for (int i = history.size() - 1; i >= 0; i--) {
            ChatTurn t = history.get(i);
            if (t.role().equals(ChatTurn.USER) && !t.content().isBlank()) {
                return t.content();
            }
        }
        return null;
    }

    /** {@code normalise(question + FOLLOW_UP_WEIGHT · previous)}. */
    private static float[] blend(float[] question, float[] previous) {
        float[] out = new float[question.length];
        double norm = 0;
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (question[i] + FOLLOW_UP_WEIGHT * previous[i]);
            norm += out[i] * out[i];
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < out.length && norm > 0; i++) {
            out[i] = (float) (out[i] / norm);
        }
        return out;
    }

    /** Best first, relevance at least minScore, no near-duplicates, at most {@code max}. */
    private List<Scored> choose(List<Scored> ranked, int max) {
        return choose(ranked, max, List.of());
    }

    /**
     * As {@link #choose(List, int)} after {@code already} (sentences of the answer so far, which count towards
     * {@code max} and are not chosen again nor near-duplicated); returns the newly chosen ones.
     */
    private List<Scored> choose(List<Scored> ranked, int max, List<Scored> already) {
        List<Scored> chosen = new ArrayList<>(already);
        Set<String> seenTexts = new HashSet<>();
        already.forEach(a -> seenTexts.add(a.candidate().display().toLowerCase(Locale.ROOT)));
        for (Scored s : ranked) {
            if (chosen.size() == max) {
                break;
            }
            if (s.relevance() < minScore) {
                continue;
            }
            String normalised = s.candidate().display().toLowerCase(Locale.ROOT);
            if (!seenTexts.add(normalised)
                    || chosen.stream().anyMatch(c -> nearDuplicate(c.candidate(), s.candidate()))) {
                continue;
            }
            chosen.add(s);
        }
        return chosen.subList(already.size(), chosen.size());
    }

    /** IDF of each question term over the request's sentences; terms found nowhere weigh most. */
    private static Map<String, Double> termWeights(Set<String> questionTerms, List<Candidate> sentences) {
        Map<String, Double> weights = new HashMap<>();
        int n = sentences.size();
        for (String term : questionTerms) {
            int df = 0;
            for (Candidate c : sentences) {
                if (c.terms().contains(term)) {
                    df++;
                }
            }
            weights.put(term, Math.log(1 + (double) n / (1 + df)));
        }
        return weights;
    }

    private static boolean nearDuplicate(Candidate a, Candidate b) {
        if (a.terms().isEmpty() || b.terms().isEmpty()) {
            return false;
        }
        int common = 0;
        for (String t : a.terms()) {
            if (b.terms().contains(t)) {
                common++;
            }
        }
        int union = a.terms().size() + b.terms().size() - common;
        return (double) common / union >= DUPLICATE_JACCARD;
    }

    @Override
    public String toString() {
        return "ExtractiveGenerator[embedder=" + embedder.spaceName() + ", maxSentences=" + maxSentences + ", minScore="
                + minScore + ", answerScore=" + answerScore + ", candidateSentences=" + candidateSentences + ", locale="
                + locale + "]";
    }

    /** A sentence of a source: {@code sources.get(sourceIndex).text().substring(start, end)}. */
    /**
     * A sentence that may be quoted: where it lies, how it reads, its terms and those of the heading of the section
     * it lies in (none when no heading precedes it in its source).
     */
    record Candidate(int sourceIndex, int start, int end, String display, Set<String> terms, Set<String> section) {}

    /**
     * A candidate's scores: lexical overlap in 0..1, embedding cosine, relevance (their mix, compared with
     * minScore) and rank (relevance plus the source-rank bonus, used for ordering).
     */
    record Scored(Candidate candidate, double lexical, double cosine, double relevance, double rank) {}

    /** Builds an {@link ExtractiveGenerator}; only the embedder is required. */
    public static final class Builder {
        private Embedder embedder;
        private int maxSentences = 3;
        private double minScore = DEFAULT_MIN_SCORE;
        private double answerScore = DEFAULT_ANSWER_SCORE;
        private int candidateSentences = 24;
        private Locale locale = Locale.ENGLISH;

        private Builder() {}

        /** Embeds the question and the candidate sentences. Required. */
        public Builder embedder(Embedder embedder) {
            this.embedder = embedder;
            return this;
        }

        /** Most sentences in an answer, 1..20. Default 3. */
        public Builder maxSentences(int maxSentences) {
            this.maxSentences = maxSentences;
            return this;
        }

        /**
         * Least relevance (0.6 * cosine + 0.4 * lexical overlap) for a sentence to be quoted, 0.0..1.0. Default
         * {@link ExtractiveGenerator#DEFAULT_MIN_SCORE}, tuned for bge-small-en-v1.5; other embedders may need another value.
         */
        public Builder minScore(double minScore) {
            this.minScore = minScore;
            return this;
        }

        /**
         * Relevance the best sentence must reach for an answer rather than the closest passages, and a citation to
         * be strong; at least {@code minScore}, at most 1.0. Default {@link ExtractiveGenerator#DEFAULT_ANSWER_SCORE}.
         */
        public Builder answerScore(double answerScore) {
            this.answerScore = answerScore;
            return this;
        }

        /** Sentences pre-selected by lexical overlap to be embedded, 1..500. Default 24; cost grows with it. */
        public Builder candidateSentences(int candidateSentences) {
            this.candidateSentences = candidateSentences;
            return this;
        }

        /** Locale of the sentence rules. Default English (the stop words and stemming are English anyway). */
        public Builder locale(Locale locale) {
            this.locale = locale;
            return this;
        }

        public ExtractiveGenerator build() {
            if (embedder == null) {
                throw new IllegalArgumentException("embedder is required; embedder=null");
            }
            if (maxSentences < 1 || maxSentences > 20) {
                throw new IllegalArgumentException("maxSentences must be in 1..20; maxSentences=" + maxSentences);
            }
            if (!(minScore >= 0.0 && minScore <= 1.0)) {
                throw new IllegalArgumentException("minScore must be in 0.0..1.0; minScore=" + minScore);
            }
            if (!(answerScore >= minScore && answerScore <= 1.0)) {
                throw new IllegalArgumentException("answerScore must be in minScore.." + "1.0 (minScore=" + minScore
                        + "); answerScore=" + answerScore);
            }
            if (candidateSentences < 1 || candidateSentences > 500) {
                throw new IllegalArgumentException(
                        "candidateSentences must be in 1..500; candidateSentences=" + candidateSentences);
            }
            if (locale == null) {
                throw new IllegalArgumentException("locale must not be null; locale=null");
            }
            return new ExtractiveGenerator(this);
        }
    }
}
