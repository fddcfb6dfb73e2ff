package dev.sorabatch.webhook;

/** A callback turned away before the store was touched; the message says why, with nothing of the request in it. */
final class Refused extends Exception {

    private final Outcome outcome;

    Refused(Outcome outcome, String message) {
        super(message, null, false, false);
        this.outcome = outcome;
    }

    Outcome outcome() {
        return outcome;
    }
}
