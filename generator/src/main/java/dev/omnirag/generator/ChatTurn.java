package dev.omnirag.generator;

/**
 * One earlier message of the conversation.
 *
 * @param role    {@link #USER} or {@link #ASSISTANT}
 * @param content what was said; not null
 */
public record ChatTurn(String role, String content) {

    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";

    public ChatTurn {
        if (!USER.equals(role) && !ASSISTANT.equals(role)) {
            throw new IllegalArgumentException("role must be user or assistant; role=" + Source.quoted(role));
        }
        if (content == null) {
            throw new IllegalArgumentException("content must not be null; role=" + role);
        }
    }

    public static ChatTurn user(String content) {
        return new ChatTurn(USER, content);
    }

    public static ChatTurn assistant(String content) {
        return new ChatTurn(ASSISTANT, content);
    }
}
