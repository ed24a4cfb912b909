package dev.faultline.core.experiment;

import java.util.Objects;

/** The verdict on one expectation, with the reason in words. */
public record Verdict(String expectation, Status status, String reason) {

    public enum Status {
        HELD("held"), FAILED("FAILED"), NOT_CHECKED("could not be checked"),
        /** The run ended early (ERROR, REFUSED, ABORTED): the expectation was not judged at all. */
        NOT_EVALUATED("not evaluated");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public Verdict {
        Objects.requireNonNull(expectation, "expectation");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
    }

    public boolean held() {
        return status == Status.HELD;
    }
}
