package dev.omnirag.server.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omnirag.generator.GenerationException;
import dev.omnirag.generator.OpenAiChatClient;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * Captions a picture with a vision-language model behind an OpenAI-compatible chat completions endpoint: one user
 * message with the instruction and the picture as a JPEG data URL ({@code image_url} content part, as vLLM,
 * SGLang, llama.cpp, Ollama and OpenAI take it), one non-streamed answer. Timeouts, retries and the circuit
 * breaker are the {@link OpenAiChatClient}'s. Thread safe; blocking.
 */
public final class ImageCaptioner {

    private final OpenAiChatClient client;
    private final String model;
    private final String prompt;
    private final int maxTokens;
    private final int maxSide;

    /**
     * @param client the chat client of the vision model's server
     * @param model the served model name
     * @param prompt the instruction sent with each picture
     * @param maxTokens most tokens of a caption, 1..4096
     * @param maxSide longest side of the picture sent, 64..8192 pixels (larger pictures are scaled down)
     */
    public ImageCaptioner(OpenAiChatClient client, String model, String prompt, int maxTokens, int maxSide) {
        this.client = Objects.requireNonNull(client, "client must not be null");
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank; model=" + model);
        }
        if (prompt == null || prompt.isBlank()) {
            throw new IllegalArgumentException("prompt must not be blank; prompt=" + prompt);
        }
        if (maxTokens < 1 || maxTokens > 4096) {
            throw new IllegalArgumentException("maxTokens must be in 1..4096; maxTokens=" + maxTokens);
        }
        if (maxSide < 64 || maxSide > 8192) {
            throw new IllegalArgumentException("maxSide must be in 64..8192; maxSide=" + maxSide);
        }
        this.model = model;
        this.prompt = prompt;
        this.maxTokens = maxTokens;
        this.maxSide = maxSide;
    }

    /** The served model name. */
    public String model() {
        return model;
    }

    /**
     * The model's caption of the picture, stripped; empty when it answered nothing.
     *
     * @throws GenerationException when the server cannot be reached, times out or answers with an error
     */
    public String caption(BufferedImage image) {
        ObjectNode body = client.json().createObjectNode();
        body.put("model", model);
        body.put("max_tokens", maxTokens);
        body.put("temperature", 0);
        ObjectNode message = body.putArray("messages").addObject();
        message.put("role", "user");
        var content = message.putArray("content");
        content.addObject().put("type", "text").put("text", prompt);
        content.addObject().put("type", "image_url").putObject("image_url").put("url", dataUrl(image));
        JsonNode answer;
        try {
            answer = client.complete(body);
        } catch (GenerationException.NonRetriable e) {
            throw new GenerationException.NonRetriable("the vision model " + model + ": " + e.getMessage(), e);
        } catch (GenerationException e) {
            throw new GenerationException.Retriable("the vision model " + model + ": " + e.getMessage(), e);
        }
        JsonNode text = answer == null
                ? null
                : answer.path("choices").path(0).path("message").path("content");
        if (text == null || !text.isTextual()) {
            throw new GenerationException.Retriable(
                    "the vision model's answer has no choices[0].message.content: "
                            + abbreviate(String.valueOf(answer)),
                    null);
        }
        return text.asText().strip();
    }

    /** The picture, scaled to {@code maxSide} and flattened to RGB, as a JPEG data URL. */
    String dataUrl(BufferedImage image) {
        double scale = Math.min(1.0, (double) maxSide / Math.max(image.getWidth(), image.getHeight()));
        int w = Math.max(1, (int) Math.round(image.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(image.getHeight() * scale));
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.drawImage(image, 0, 0, w, h, null);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(rgb, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the picture as JPEG", e);
        }
        return "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    @Override
    public String toString() {
        return "captions by " + model + " at " + client.baseUrl();
    }
}
