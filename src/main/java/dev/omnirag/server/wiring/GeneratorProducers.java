package dev.omnirag.server.wiring;

import dev.omnirag.embeddings.Embedder;
import dev.omnirag.generator.CitationVerifier;
import dev.omnirag.generator.ExtractiveGenerator;
import dev.omnirag.generator.FallbackGenerator;
import dev.omnirag.generator.Generator;
import dev.omnirag.generator.OpenAiChatClient;
import dev.omnirag.generator.OpenAiCompatibleGenerator;
import dev.omnirag.server.config.CitationsConfig;
import dev.omnirag.server.config.GeneratorConfig;
import dev.omnirag.server.config.Misconfiguration;
import dev.omnirag.server.config.SearchConfig;
import dev.omnirag.server.search.ChatBackend;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Builds the answer side once, from configuration: the OpenAI-compatible model server ({@link ChatBackend}) and the
 * generator (extractive, or the LLM with the extractive one as fallback).
 */
@ApplicationScoped
public class GeneratorProducers {

    private static final Logger LOG = Logger.getLogger(GeneratorProducers.class);

    /** The OpenAI-compatible model server, when {@code omnirag.generator.kind=openai}. */
    @Produces
    @Singleton
    ChatBackend chatBackend(GeneratorConfig config) {
        if (config.kind() == GeneratorConfig.Kind.EXTRACTIVE) {
            return ChatBackend.NONE;
        }
        String baseUrl = config.baseUrl()
                .orElseThrow(
                        () -> new Misconfiguration(
                                "omnirag.generator.base-url is required with omnirag.generator.kind=openai, e.g. http://localhost:8000/v1"));
        String model = config.model()
                .orElseThrow(
                        () -> new Misconfiguration(
                                "omnirag.generator.model is required with omnirag.generator.kind=openai (the server's served model name)"));
        OpenAiChatClient client = new OpenAiChatClient(Misconfiguration.building(
                "omnirag.generator.*",
                () -> OpenAiChatClient.transportBuilder()
                        .baseUrl(baseUrl)
                        .apiKey(config.apiKey().orElse(null))
                        .connectTimeout(config.connectTimeout())
                        .readTimeout(config.readTimeout())
                        .maxRetries(config.maxRetries())
                        .retryBackoff(config.retryBackoff())
                        .maxBackoff(config.maxBackoff())
                        .breakerFailureThreshold(config.breakerFailureThreshold())
                        .breakerOpenDuration(config.breakerOpenDuration())
                        .build()));
        return new ChatBackend(Optional.of(client), Optional.of(model), config.vision());
    }

    /**
     * The extractive generator, or the LLM generator with the extractive one as its fallback. Built when first
     * needed (not at start), so a misconfigured generator fails the first ask with the message naming the key.
     */
    @Produces
    @Singleton
    Generator generator(
            Embedder embedder,
            SearchConfig search,
            GeneratorConfig config,
            CitationsConfig citations,
            ChatBackend backend) {
        ExtractiveGenerator extractive = ExtractiveGenerator.builder()
                .embedder(new SentenceCachingEmbedder(embedder, config.sentenceCacheSize()))
                .maxSentences(search.answerSentences())
                .build();
        if (backend.client().isEmpty()) {
            LOG.infof("Generator: %s", extractive);
            return extractive;
        }
        CitationVerifier verifier = CitationVerifier.builder()
                .embedder(embedder)
                .minSupport(citations.minSupport())
                .minLexical(citations.minLexical())
                .checkNumbers(citations.checkNumbers())
                .candidateSentences(citations.candidateSentences())
                .build();
        OpenAiCompatibleGenerator.Builder llm = OpenAiCompatibleGenerator.builder()
                .client(backend.client().get())
                .model(backend.model().get())
                .maxTokens(config.maxTokens())
                .temperature(config.temperature())
                .vision(config.vision())
                .contextTokens(config.contextTokens())
                .imageTokens(config.imageTokens())
                .verifier(verifier)
                .strictCitations(citations.strict())
                .extraBody(ConfigJson.object("omnirag.generator.extra-body", config.extraBody()));
        config.systemPrompt().ifPresent(llm::systemPrompt);
        FallbackGenerator generator =
                new FallbackGenerator(Misconfiguration.building("omnirag.generator.*", llm::build), extractive);
        LOG.infof("Generator: %s (fallback: extractive), %s", generator.primary(), verifier);
        return generator;
    }
}
