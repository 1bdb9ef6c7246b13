package dev.omnirag.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnirag.embeddings.OnnxTextEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ExtractiveGeneratorTest {

    private static final String SPEEDUP_QUESTION = "What speedup does TraceMonkey give for traceable programs?";

    private static final List<Source> COOKING = List.of(
            new Source("cake", """
                    Preheat the oven to 200 degrees. Whisk the eggs with sugar until pale and fluffy. Fold in the flour
                    gently so the batter keeps its air.
                    Bake for twenty minutes until golden brown on top.""", "cake.txt"),
            new Source(
                    "risotto",
                    "A good risotto needs arborio rice, warm stock added one ladle at a time, and constant "
                            + "stirring. Finish it with butter and grated parmesan cheese before serving.",
                    "risotto.txt"),
            new Source(
                    "bread",
                    "Knead the bread dough for ten minutes until it is smooth and elastic, then let it rise "
                            + "in a warm place for an hour.",
                    "bread.txt"));

    private static OnnxTextEmbedder embedder;
    private static ExtractiveGenerator generator;
    /** Like the server's input: retrieved chunks of pages 1 and 2 (the answer is on page 2) and another page. */
    private static List<Source> traceMonkey;

    @BeforeAll
    static void load() {
        embedder = OnnxTextEmbedder.bgeSmallEnV15();
        generator = ExtractiveGenerator.builder().embedder(embedder).build();
        List<Source> sources = new ArrayList<>();
        sources.addAll(TraceMonkeyPdf.chunks(1, 1200));
        sources.addAll(TraceMonkeyPdf.chunks(2, 1200));
        sources.add(TraceMonkeyPdf.chunks(9, 1200).getFirst());
        traceMonkey = List.copyOf(sources);
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    @Test
    void citesTheSentenceThatAnswersTheQuestion() {
        Answer answer = generator.generate(new GenerationRequest(SPEEDUP_QUESTION, traceMonkey));

        assertThat(answer.fallback()).isFalse();
        assertThat(answer.citations()).isNotEmpty();
        Citation first = answer.citations().getFirst();
        Source cited = traceMonkey.get(first.sourceIndex());
        assertThat(first.quote()).contains("2x-20x").contains("traceable programs");
        assertThat(first.quote()).isEqualTo(cited.text().substring(first.quoteStart(), first.quoteEnd()));
        assertThat(first.sourceId()).isEqualTo(cited.id());
        assertThat(cited.label()).isEqualTo("tracemonkey.pdf, page 2");
        assertThat(answer.text())
                .startsWith(
                        "TraceMonkey supports all the JavaScript features of SpiderMonkey, with a 2x-20x speedup for traceable programs. [1]");
    }

    @Test
    void aTableRowAnswersWithItsHeaderAndIsQuotedAsTheRow() {
        String text = """
                The benchmark compared three JavaScript engines on the same machine.
                Engine | Throughput | Latency
                V8 | 10.2 GB/s | 3 ms
                SpiderMonkey | 12.4 GB/s | 4 ms
                JavaScriptCore | 9.8 GB/s | 5 ms
                All engines ran the suite five times.""";
        List<Source> sources = List.of(new Source("bench", text, "engines.docx"), COOKING.getFirst());

        Answer answer = generator.generate(new GenerationRequest("What throughput did SpiderMonkey reach?", sources));

        Citation first = answer.citations().getFirst();
        assertThat(first.quote()).isEqualTo("SpiderMonkey | 12.4 GB/s | 4 ms");
        assertThat(text.substring(first.quoteStart(), first.quoteEnd())).isEqualTo(first.quote());
        assertThat(answer.text()).startsWith("Engine: SpiderMonkey; Throughput: 12.4 GB/s; Latency: 4 ms");
    }

    @Test
    void aTitleBeforeANameIsQuotedWithTheName() {
        List<Source> sources = List.of(
                new Source(
                        "team",
                        "The wind tunnel project started in 2019 with four engineers. "
                                + "Project lead: Dr. Lena Ortiz, who also chairs the safety board. The budget is reviewed yearly.",
                        "team.docx"),
                COOKING.getFirst());

        Answer answer = generator.generate(new GenerationRequest("Who is the project lead?", sources));

        assertThat(answer.citations())
                .extracting(Citation::quote)
                .contains("Project lead: Dr. Lena Ortiz, who also chairs the safety board.")
                .noneMatch(q -> q.endsWith("Dr."));
    }

    @Test
    void citesTheAnswerEvenWhenItsSourceIsRankedLast() {
        List<Source> reordered = new ArrayList<>(traceMonkey);
        Source answerChunk = reordered.stream()
                .filter(s -> s.text().contains("2x-20x speedup for"))
                .findFirst()
                .orElseThrow();
        reordered.remove(answerChunk);
        reordered.add(answerChunk);

        Answer answer = generator.generate(new GenerationRequest(SPEEDUP_QUESTION, reordered));

        assertThat(answer.citations().getFirst().sourceId()).isEqualTo(answerChunk.id());
        assertThat(answer.citations().getFirst().quote()).contains("2x-20x");
    }

    @Test
    void answerTextJoinsHyphenatedLineBreaksWhileQuotesKeepTheSourceText() {
        Answer answer = generator.generate(new GenerationRequest(SPEEDUP_QUESTION, traceMonkey));

        assertThat(answer.citations().getFirst().quote()).contains("Spi-\nderMonkey");
        assertThat(answer.text()).doesNotContain("\n").contains("SpiderMonkey");
    }

    @Test
    void everyCitationQuoteIsAnExactSubstringOfItsSource() {
        ExtractiveGenerator five =
                ExtractiveGenerator.builder().embedder(embedder).maxSentences(5).build();
        for (String question : List.of(
                SPEEDUP_QUESTION,
                "What happens when a guard fails?",
                "How are nested loops traced?",
                "Which languages are dynamic?")) {
            GenerationRequest request = new GenerationRequest(question, traceMonkey);
            Answer answer = five.generate(request);
            assertThat(answer.citations()).as(question).isNotEmpty();
            for (Citation c : answer.citations()) {
                Source source = request.sources().get(c.sourceIndex());
                assertThat(c.sourceId()).isEqualTo(source.id());
                assertThat(c.quote()).isEqualTo(source.text().substring(c.quoteStart(), c.quoteEnd()));
                assertThat(c.quote()).isNotBlank().isEqualTo(c.quote().strip());
            }
        }
    }

    @Test
    void deltasConcatenateToTheAnswerTextAndCitationsComeBeforeTheirMarkers() {
        List<Object> events = new ArrayList<>();
        AnswerListener recorder = new AnswerListener() {
            @Override
            public void onDelta(String text) {
                events.add(text);
            }

            @Override
            public void onCitation(Citation citation) {
                events.add(citation);
            }
        };

        Answer answer = generator.generate(new GenerationRequest(SPEEDUP_QUESTION, traceMonkey), recorder);

        StringBuilder streamed = new StringBuilder();
        List<Citation> streamedCitations = new ArrayList<>();
        for (Object event : events) {
            if (event instanceof Citation c) {
                assertThat(streamed.toString())
                        .as("text before citation %d", c.n())
                        .doesNotContain(c.marker());
                streamedCitations.add(c);
            } else {
                streamed.append((String) event);
                for (int n = 1; n <= 20; n++) {
                    if (streamed.toString().contains("[" + n + "]")) {
                        int cited = n;
                        assertThat(streamedCitations)
                                .as("citation %d streamed before its marker", n)
                                .anyMatch(c -> c.n() == cited);
                    }
                }
            }
        }
        assertThat(streamed.toString()).isEqualTo(answer.text());
        assertThat(streamedCitations).isEqualTo(answer.citations());
        assertThat(events.getFirst()).isInstanceOf(Citation.class);
    }

    @Test
    void citationNumbersFollowAnswerOrder() {
        Answer answer = generator.generate(new GenerationRequest(SPEEDUP_QUESTION, traceMonkey));

        assertThat(answer.citations()).hasSize(3);
        int previousMarker = -1;
        for (int i = 0; i < answer.citations().size(); i++) {
            Citation c = answer.citations().get(i);
            assertThat(c.n()).isEqualTo(i + 1);
            int marker = answer.text().indexOf(c.marker());
            assertThat(marker).isGreaterThan(previousMarker);
            assertThat(answer.text().indexOf(c.marker(), marker + 1))
                    .as("marker %s appears once", c.marker())
                    .isEqualTo(-1);
            previousMarker = marker;
        }
        assertThat(answer.text()).endsWith("[3]");
    }

    @Test
    void saysItFoundNothingWhenSourcesAreUnrelated() {
        List<String> deltas = new ArrayList<>();
        AnswerListener listener = new AnswerListener() {
            @Override
            public void onDelta(String text) {
                deltas.add(text);
            }

            @Override
            public void onCitation(Citation citation) {
                throw new AssertionError("no citation expected: " + citation);
            }
        };

        Answer answer = generator.generate(
                new GenerationRequest("How do swept wings delay shock waves on aircraft?", COOKING), listener);

        assertThat(answer.text()).isEqualTo(ExtractiveGenerator.NO_ANSWER);
        assertThat(answer.citations()).isEmpty();
        assertThat(answer.fallback()).isFalse();
        assertThat(deltas).containsExactly(ExtractiveGenerator.NO_ANSWER);
    }

    @Test
    void aStrongAnswerCitesStronglyAndVerbatim() {
        Answer answer = generator.generate(new GenerationRequest(SPEEDUP_QUESTION, traceMonkey));

        Citation first = answer.citations().getFirst();
        assertThat(first.strong()).isTrue();
        assertThat(first.verbatim()).isTrue();
        assertThat(answer.text()).doesNotContain(ExtractiveGenerator.NO_ANSWER);
    }

    @Test
    void aStrongFirstSentenceIsSentBeforeTheOtherSentencesAreEmbedded() {
        java.util.concurrent.atomic.AtomicInteger embedded = new java.util.concurrent.atomic.AtomicInteger();
        dev.omnirag.embeddings.Embedder counting = new dev.omnirag.embeddings.ForwardingEmbedder(embedder) {
            @Override
            public List<float[]> embedDocuments(List<String> texts) {
                embedded.addAndGet(texts.size());
                return super.embedDocuments(texts);
            }

            @Override
            public void close() {
                // the shared embedder is closed after all tests
            }
        };
        List<Integer> embeddedAtFirstText = new ArrayList<>();
        Answer answer = ExtractiveGenerator.builder()
                .embedder(counting)
                .build()
                .generate(new GenerationRequest(SPEEDUP_QUESTION, traceMonkey), new AnswerListener() {
                    @Override
                    public void onDelta(String text) {
                        embeddedAtFirstText.add(embedded.get());
                    }

                    @Override
                    public void onCitation(Citation citation) {}
                });

        assertThat(answer.citations().getFirst().quote()).contains("2x-20x");
        assertThat(embeddedAtFirstText.getFirst()).isLessThanOrEqualTo(ExtractiveGenerator.LEAD_CANDIDATES);
        assertThat(embedded.get()).isGreaterThan(ExtractiveGenerator.LEAD_CANDIDATES);
    }

    @Test
    void sentenceVectorsThatComeWithTheSourcesAreNotEmbeddedAndTheBestSentenceOpensTheAnswer() {
        List<Source> withVectors = new ArrayList<>();
        for (Source source : traceMonkey) {
            List<String> sentences = generator.sentences(source.text());
            List<float[]> vectors = embedder.embedDocuments(sentences);
            java.util.Map<String, float[]> bySentence = new java.util.HashMap<>();
            for (int i = 0; i < sentences.size(); i++) {
                bySentence.put(sentences.get(i), vectors.get(i));
            }
            withVectors.add(source.withSentenceVectors(bySentence));
        }
        List<String> embedded = new ArrayList<>();
        dev.omnirag.embeddings.Embedder recording = new dev.omnirag.embeddings.ForwardingEmbedder(embedder) {
            @Override
            public List<float[]> embedDocuments(List<String> texts) {
                embedded.addAll(texts);
                return super.embedDocuments(texts);
            }

            @Override
            public void close() {
                // the shared embedder is closed after all tests
            }
        };
        ExtractiveGenerator atHand =
                ExtractiveGenerator.builder().embedder(recording).build();
        GenerationRequest request = new GenerationRequest(SPEEDUP_QUESTION, withVectors);

        Answer answer = atHand.generate(request);

        assertThat(embedded)
                .as("sentences embedded although their vectors came with the sources")
                .isEmpty();
        ExtractiveGenerator.Scored best = generator
                .score(new GenerationRequest(SPEEDUP_QUESTION, traceMonkey))
                .getFirst();
        Source bestSource = traceMonkey.get(best.candidate().sourceIndex());
        assertThat(answer.citations().getFirst().quote())
                .as("the answer opens with the best-scored sentence")
                .isEqualTo(bestSource
                        .text()
                        .substring(best.candidate().start(), best.candidate().end()));
        assertThat(answer.citations().getFirst().strong()).isTrue();
    }

    @Test
    void anEarlyNoAnswerIsWithdrawnWhenALaterCandidateIsStrong() {
        // A two-dimensional embedder built for the test: sentences about proofing point where the question points,
        // all others at right angles. The decoys share the question's words (they are scored first) but not its
        // meaning; the answer shares no word, so it comes after the early candidates.
        dev.omnirag.embeddings.Embedder meaning = new dev.omnirag.embeddings.Embedder() {
            @Override
            public String spaceName() {
                return "test-2d";
            }

            @Override
            public int dimensions() {
                return 2;
            }

            @Override
            public List<float[]> embedDocuments(List<String> texts) {
                return texts.stream()
                        .map(t -> t.contains("proof") ? new float[] {1, 0} : new float[] {0, 1})
                        .toList();
            }

            @Override
            public float[] embedQuery(String query) {
                return new float[] {1, 0};
            }

            @Override
            public int countTokens(String text) {
                return text.split("\\s+").length;
            }

            @Override
            public int maxTokens() {
                return 512;
            }

            @Override
            public void close() {}
        };
        StringBuilder decoys = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            decoys.append("Dough number ")
                    .append(i)
                    .append(" was sold at the market to a rising number of customers. ");
        }
        List<Source> sources = List.of(
                new Source("decoys", decoys.toString()),
                new Source("answer", "Leave it to proof somewhere warm for about an hour until doubled."));
        List<String> events = new ArrayList<>();

        Answer answer = ExtractiveGenerator.builder()
                .embedder(meaning)
                .build()
                .generate(new GenerationRequest("How long should the dough rise?", sources), new AnswerListener() {
                    @Override
                    public void onDelta(String text) {
                        events.add("delta:" + text);
                    }

                    @Override
                    public void onCitation(Citation citation) {
                        events.add("citation:" + citation.sourceId());
                    }

                    @Override
                    public void onRestart() {
                        events.add("restart");
                    }
                });

        assertThat(events.getFirst()).isEqualTo("delta:" + ExtractiveGenerator.NO_ANSWER);
        assertThat(events.get(1)).isEqualTo("restart");
        assertThat(events.get(2)).isEqualTo("citation:answer");
        assertThat(answer.text())
                .startsWith("Leave it to proof somewhere warm")
                .doesNotContain(ExtractiveGenerator.NO_ANSWER);
        assertThat(answer.citations().getFirst().strong()).isTrue();

        // A listener that cannot take text back gets no early "no answer": only what the answer keeps.
        List<String> kept = new ArrayList<>();
        Answer same = ExtractiveGenerator.builder()
                .embedder(meaning)
                .build()
                .generate(new GenerationRequest("How long should the dough rise?", sources), new AnswerListener() {
                    @Override
                    public void onDelta(String text) {
                        kept.add("delta:" + text);
                    }

                    @Override
                    public void onCitation(Citation citation) {
                        kept.add("citation:" + citation.sourceId());
                    }

                    @Override
                    public void onRestart() {
                        kept.add("restart");
                    }

                    @Override
                    public boolean acceptsRestart() {
                        return false;
                    }
                });
        assertThat(kept.getFirst()).isEqualTo("citation:answer");
        assertThat(kept).doesNotContain("restart");
        assertThat(same.text()).isEqualTo(answer.text());
    }

    @Test
    void weakEvidenceGivesNoAnswerAndTheClosestPassagesCitedAsWeak() {
        // The risotto recipe shares the dish with the question, but says nothing about wine.
        String question = "What wine goes with risotto?";
        ExtractiveGenerator.Evidence evidence = generator.evidence(new GenerationRequest(question, COOKING));
        assertThat(evidence.relevance())
                .as("between the floor and the answer threshold")
                .isBetween(ExtractiveGenerator.DEFAULT_MIN_SCORE, ExtractiveGenerator.DEFAULT_ANSWER_SCORE);
        List<String> deltas = new ArrayList<>();
        List<Citation> seen = new ArrayList<>();

        Answer answer = generator.generate(new GenerationRequest(question, COOKING), new AnswerListener() {
            @Override
            public void onDelta(String text) {
                deltas.add(text);
            }

            @Override
            public void onCitation(Citation citation) {
                seen.add(citation);
            }
        });

        assertThat(evidence.answers()).isFalse();
        assertThat(answer.text()).startsWith(ExtractiveGenerator.NO_ANSWER + ExtractiveGenerator.CLOSEST + " \u201c");
        assertThat(answer.citations())
                .isNotEmpty()
                .hasSizeLessThanOrEqualTo(2)
                .allSatisfy(c -> assertThat(c.strong()).isFalse())
                .isEqualTo(seen);
        assertThat(String.join("", deltas)).isEqualTo(answer.text());
    }

    @Test
    void aKeywordQuestionGetsTheFirstPassageThatContainsItEvenAShortLine() {
        List<Source> sources = List.of(
                new Source("unrelated", "Knead the bread dough for ten minutes until it is smooth and elastic."),
                new Source("scan", "pdf.js\n\n12"),
                new Source("later", "The viewer is built on pdf.js, a PDF renderer written in JavaScript."));

        Answer answer = generator.generate(new GenerationRequest("pdf.js", sources));

        assertThat(answer.text()).isEqualTo("pdf.js [1]");
        Citation c = answer.citations().getFirst();
        assertThat(c.sourceId()).isEqualTo("scan");
        assertThat(c.quote()).isEqualTo("pdf.js");
        assertThat(c.strong()).isTrue();
    }

    @Test
    void aKeywordQuestionThatNamesAHeadingGetsTheHeadingWithTheFirstSentenceUnderIt() {
        String manual = "4 Wireless settings\nThe default network name and password are printed on the label under"
                + " the router. You can change them on the Wireless page.";
        List<Source> sources = List.of(new Source("manual", manual));

        Answer answer = generator.generate(new GenerationRequest("Wireless settings", sources));

        assertThat(answer.text())
                .isEqualTo("4 Wireless settings: The default network name and password are printed on the label"
                        + " under the router. [1]");
        assertThat(answer.citations().getFirst().quote())
                .isEqualTo(manual.substring(0, manual.indexOf("router.") + "router.".length()));
    }

    @Test
    void aHowToQuestionIsAnsweredWithTheStepsTheLeadInAnnouncesNotWithTheHeadingOrAStepAlone() {
        String manual = "3 Connecting to the internet\nTo connect the router to the internet:\n"
                + "1. Connect the grey cable from your modem to the yellow port.\n"
                + "2. Open a browser and go to the router's address.\n"
                + "3. Choose the connection type your provider uses (DHCP, PPPoE or static).\n"
                + "4. Click Save; the status light turns green when the router is online.\n\n"
                + "If the light stays red, see Troubleshooting.";
        String wireless = "4 Wireless settings\nThe default network name and password are printed on the label under"
                + " the router.";
        List<Source> sources = List.of(new Source("connect", manual), new Source("wireless", wireless));

        Answer answer =
                generator.generate(new GenerationRequest("How do I connect the router to the internet?", sources));

        // As Markdown: the lead-in, then a step a line.
        assertThat(answer.text())
                .startsWith("To connect the router to the internet:\n1. Connect the grey cable from your modem to the"
                        + " yellow port.\n2. Open a browser")
                .contains("\n4. Click Save; the status light turns green when the router is online. [1]")
                .doesNotContain("Connecting to the internet");
        assertThat(answer.text().indexOf("[2]") < 0 || answer.text().contains("online. [1]\n\n"))
                .as("a sentence after the list starts a paragraph: %s", answer.text())
                .isTrue();
        Citation steps = answer.citations().getFirst();
        assertThat(steps.quote()).startsWith("To connect the router").endsWith("when the router is online.");
        assertThat(answer.citations())
                .as("no step is quoted a second time")
                .noneMatch(c -> c != steps
                        && c.sourceIndex() == 0
                        && c.quoteStart() >= steps.quoteStart()
                        && c.quoteEnd() <= steps.quoteEnd());
    }

    @Test
    void aTableRowRightAboveARowAlreadyQuotedIsStillQuoted() {
        String report = "Depot | Vans | Fuel per 100 km\nOslo | 15 | 7.2 l\nLisbon | 12 | 9.8 l\nHamburg | 10 | 8.9 l";
        List<Source> sources = List.of(new Source("fleet", report));

        Answer answer =
                generator.generate(new GenerationRequest("Which depot had the lowest fuel use per 100 km?", sources));

        // Hamburg's row is quoted before Lisbon's, the row right above it: Lisbon's is an answer of its own.
        assertThat(answer.citations().stream().map(Citation::quote))
                .containsExactly("Oslo | 15 | 7.2 l", "Hamburg | 10 | 8.9 l", "Lisbon | 12 | 9.8 l");
    }

    @Test
    void keywordLikeQuestionsAreShortAndAskNothing() {
        assertThat(ExtractiveGenerator.keywordLike("pdf.js")).isTrue();
        assertThat(ExtractiveGenerator.keywordLike("TraceMonkey speedup")).isTrue();
        assertThat(ExtractiveGenerator.keywordLike("what is pdf.js")).isFalse();
        assertThat(ExtractiveGenerator.keywordLike("pdf.js?")).isFalse();
        assertThat(ExtractiveGenerator.keywordLike("how long to bake a cake")).isFalse();
    }

    @Test
    void aFollowUpIsAnsweredWithWhatThePreviousQuestionNamed() {
        String followUp = "How long should it go in for?";
        List<ChatTurn> history = List.of(
                new ChatTurn(ChatTurn.USER, "How do I bake the cake?"),
                new ChatTurn(ChatTurn.ASSISTANT, "Preheat the oven to 200 degrees. [1]"));

        Answer alone = generator.generate(new GenerationRequest(followUp, COOKING));
        Answer inConversation = generator.generate(new GenerationRequest(followUp, COOKING, history));

        assertThat(inConversation.citations()).isNotEmpty();
        assertThat(inConversation.citations().getFirst().sourceId()).isEqualTo("cake");
        assertThat(inConversation.citations().getFirst().quote()).contains("Bake for twenty minutes");
        assertThat(alone.citations().isEmpty()
                        || !alone.citations().getFirst().quote().contains("Bake for twenty"))
                .as("alone, the follow-up does not find the baking time first: %s", alone.text())
                .isTrue();
    }

    @Test
    void answersFromTheMatchingRecipe() {
        Answer answer = generator.generate(new GenerationRequest("How long should I bake the cake?", COOKING));

        assertThat(answer.citations().getFirst().quote())
                .isEqualTo("Bake for twenty minutes until golden brown on top.");
        assertThat(answer.citations().getFirst().sourceId()).isEqualTo("cake");
    }

    @Test
    void defaultMinScoreSeparatesAnswersFromUnrelatedSentencesWithMargin() {
        double answering = generator
                .score(new GenerationRequest(SPEEDUP_QUESTION, traceMonkey))
                .getFirst()
                .relevance();
        double unrelated = 0;
        for (String question : List.of(
                "How do swept wings delay shock waves on aircraft?",
                "What is the capital of France?",
                "How do I configure PostgreSQL streaming replication?")) {
            unrelated = Math.max(
                    unrelated,
                    generator
                            .score(new GenerationRequest(question, COOKING))
                            .getFirst()
                            .relevance());
            unrelated = Math.max(
                    unrelated,
                    generator
                            .score(new GenerationRequest(question, traceMonkey))
                            .getFirst()
                            .relevance());
        }

        assertThat(answering).isGreaterThan(ExtractiveGenerator.DEFAULT_MIN_SCORE + 0.3);
        assertThat(unrelated).isLessThan(ExtractiveGenerator.DEFAULT_MIN_SCORE - 0.05);
    }

    @Test
    void emptySourcesGiveNoAnswer() {
        Answer answer = generator.generate(new GenerationRequest(SPEEDUP_QUESTION, List.of()));

        assertThat(answer.text()).isEqualTo(ExtractiveGenerator.NO_ANSWER);
        assertThat(answer.citations()).isEmpty();
    }

    @Test
    void sourcesWithoutProseGiveNoAnswer() {
        List<Source> noise = List.of(
                new Source("table", "3d-cube 25 27 29 3 0 1.1 1.1 1.2 2.20x\n12 | 13 | 14\n"),
                new Source("empty", ""),
                new Source("heading", "1. Introduction"));

        Answer answer = generator.generate(new GenerationRequest(SPEEDUP_QUESTION, noise));

        assertThat(answer.text()).isEqualTo(ExtractiveGenerator.NO_ANSWER);
    }

    @Test
    void maxSentencesLimitsTheAnswer() {
        ExtractiveGenerator one =
                ExtractiveGenerator.builder().embedder(embedder).maxSentences(1).build();

        Answer answer = one.generate(new GenerationRequest(SPEEDUP_QUESTION, traceMonkey));

        assertThat(answer.citations()).hasSize(1);
        assertThat(answer.text()).endsWith("traceable programs. [1]");
    }

    @Test
    void quotesARepeatedSentenceOnceFromTheHigherRankedSource() {
        String sentence = "The flux capacitor needs 1.21 gigawatts of power to work.";
        List<Source> sources = List.of(
                new Source("first", "Some unrelated words about the weather today and tomorrow. " + sentence),
                new Source("second", sentence + "\nA second sentence about the weather today and tomorrow."));

        Answer answer =
                generator.generate(new GenerationRequest("How much power does the flux capacitor need?", sources));

        assertThat(answer.citations())
                .filteredOn(c -> c.quote().equals(sentence))
                .hasSize(1)
                .first()
                .extracting(Citation::sourceId)
                .isEqualTo("first");
    }

    @Test
    void servesConcurrentRequestsWithTheSameAnswers() throws Exception {
        GenerationRequest request = new GenerationRequest(SPEEDUP_QUESTION, traceMonkey);
        Answer expected = generator.generate(request);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                answers.add(pool.submit(() -> generator.generate(request)));
            }
            for (Future<Answer> answer : answers) {
                assertThat(answer.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void builderRejectsInvalidParametersNamingThem() {
        assertThatThrownBy(() -> ExtractiveGenerator.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("embedder");
        assertThatThrownBy(() -> ExtractiveGenerator.builder()
                        .embedder(embedder)
                        .maxSentences(0)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxSentences must be in 1..20; maxSentences=0");
        assertThatThrownBy(() -> ExtractiveGenerator.builder()
                        .embedder(embedder)
                        .maxSentences(21)
                        .build())
                .hasMessage("maxSentences must be in 1..20; maxSentences=21");
        assertThatThrownBy(() -> ExtractiveGenerator.builder()
                        .embedder(embedder)
                        .minScore(-0.1)
                        .build())
                .hasMessage("minScore must be in 0.0..1.0; minScore=-0.1");
        assertThatThrownBy(() -> ExtractiveGenerator.builder()
                        .embedder(embedder)
                        .minScore(Double.NaN)
                        .build())
                .hasMessage("minScore must be in 0.0..1.0; minScore=NaN");
        assertThatThrownBy(() -> ExtractiveGenerator.builder()
                        .embedder(embedder)
                        .candidateSentences(0)
                        .build())
                .hasMessage("candidateSentences must be in 1..500; candidateSentences=0");
        assertThatThrownBy(() -> ExtractiveGenerator.builder()
                        .embedder(embedder)
                        .candidateSentences(501)
                        .build())
                .hasMessage("candidateSentences must be in 1..500; candidateSentences=501");
        assertThatThrownBy(() -> ExtractiveGenerator.builder()
                        .embedder(embedder)
                        .locale(null)
                        .build())
                .hasMessageContaining("locale");
    }

    @Test
    void nameIsExtractive() {
        assertThat(generator.name()).isEqualTo("extractive");
    }

    @Test
    void rejectsNullRequestAndListener() {
        assertThatThrownBy(() -> generator.generate(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("request");
        assertThatThrownBy(() -> generator.generate(new GenerationRequest("q?", List.of()), null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("listener");
    }
}
