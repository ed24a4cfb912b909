package dev.faultline.core.status;

/**
 * Something worth knowing before an experiment.
 *
 * @param service   the Compose service
 * @param container the container name, or empty when it is about the whole service
 * @param message   what is wrong and what it means, in a sentence
 */
public record Warning(String service, String container, String message) {
    @Override
    public String toString() {
        return (container.isEmpty() ? service : container) + ": " + message;
    }
}
