package dev.omnirag.server.wiring;

import dev.omnirag.embeddings.Embedder;
import dev.omnirag.reranker.LateInteractionReranker;
import dev.omnirag.reranker.MllmReranker;
import dev.omnirag.reranker.OnnxCrossEncoderReranker;
import dev.omnirag.reranker.RemoteReranker;
import dev.omnirag.reranker.Reranker;
import dev.omnirag.server.config.Misconfiguration;
import dev.omnirag.server.config.RerankerConfig;
import dev.omnirag.server.search.ImageSources;
import dev.omnirag.server.search.Rerankers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Builds the rerankers once, from configuration: local always; MLLM, cross-encoder and remote when configured. */
@ApplicationScoped
public class RerankerProducers {

    private static final Logger LOG = Logger.getLogger(RerankerProducers.class);

    /** The local reranker always; the MLLM reranker when its server is configured. */
    @Produces
    @Singleton
    Rerankers rerankers(Embedder embedder, RerankerConfig config, ImageSources images) {
        RerankerConfig.Local local = config.local();
        Reranker localReranker = LateInteractionReranker.builder()
                .embedder(embedder)
                .firstStageWeight(local.firstStageWeight())
                .topSentences(local.topSentences())
                .feedbackHits(local.feedbackHits())
                .feedbackWeight(local.feedbackWeight())
                .maxSentences(local.maxSentences())
                .mmrLambda(local.mmrLambda())
                .cacheSize(local.cacheSize())
                .build();
        RerankerConfig.Mllm m = config.mllm();
        Optional<Reranker> mllm = Optional.empty();
        if (m.baseUrl().isPresent() || m.model().isPresent()) {
            String model = m.model()
                    .orElseThrow(() -> new Misconfiguration(
                            "omnirag.reranker.mllm.model is required with omnirag.reranker.mllm.base-url"));
            String baseUrl = m.baseUrl()
                    .orElseThrow(() -> new Misconfiguration(
                            "omnirag.reranker.mllm.base-url is required with omnirag.reranker.mllm.model"));
            mllm = Optional.of(Misconfiguration.building(
                    "omnirag.reranker.mllm.*",
                    () -> MllmReranker.builder()
                            .baseUrl(baseUrl)
                            .model(model)
                            .apiKey(m.apiKey().orElse(null))
                            .candidates(m.candidates())
                            .concurrency(m.concurrency())
                            .deadline(m.deadline())
                            .connectTimeout(m.connectTimeout())
                            .topLogprobs(m.topLogprobs())
                            .maxPassageChars(m.maxPassageChars())
                            .imageUrl(m.images() ? images::dataUrl : null)
                            .extraBody(ConfigJson.object("omnirag.reranker.mllm.extra-body", m.extraBody()))
                            .build()));
        }
        RerankerConfig.CrossEncoder ce = config.crossEncoder();
        Optional<Reranker> crossEncoder = ce.modelPath()
                .map(model -> Misconfiguration.building(
                        "omnirag.reranker.cross-encoder.*",
                        () -> OnnxCrossEncoderReranker.builder()
                                .modelPath(model)
                                .tokenizerPath(ce.tokenizerPath().orElse(model.resolveSibling("tokenizer.json")))
                                .maxLength(ce.maxLength())
                                .batchSize(ce.batchSize())
                                .build()));
        RerankerConfig.Remote rc = config.remote();
        Optional<Reranker> remote = rc.url()
                .filter(u -> !u.isBlank())
                .map(url -> Misconfiguration.building(
                        "omnirag.reranker.remote.*",
                        () -> RemoteReranker.builder()
                                .url(url)
                                .format(rc.format())
                                .model(rc.model().orElse(null))
                                .apiKey(rc.apiKey().orElse(null))
                                .candidates(rc.candidates())
                                .deadline(rc.deadline())
                                .build()));
        Rerankers rerankers = new Rerankers(
                localReranker,
                mllm,
                mllm.isPresent() ? m.model() : Optional.empty(),
                crossEncoder,
                remote,
                config.defaultReranker().strip().toLowerCase(Locale.ROOT),
                config.candidates());
        LOG.infof(
                "Rerankers: %s%s%s%s; default %s",
                localReranker,
                mllm.map(r -> ", " + r).orElse(""),
                crossEncoder.map(r -> ", " + r).orElse(""),
                remote.map(r -> ", " + r).orElse(""),
                rerankers.defaultName());
        return rerankers;
    }
}
