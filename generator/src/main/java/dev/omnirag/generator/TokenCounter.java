package dev.omnirag.generator;

/** Estimates how many tokens a text takes in the generator's model; used to keep prompts inside its context. */
@FunctionalInterface
public interface TokenCounter {

    /** Tokens of {@code text}; never negative. */
    int count(String text);

    /**
     * One token per three characters, rounded up: a deliberate over-estimate for English and code with the BPE
     * vocabularies of current open models (about four characters per token), so a prompt sized with it fits.
     */
    static TokenCounter approximate() {
        return text -> (text.length() + 2) / 3;
    }
}
