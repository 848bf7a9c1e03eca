package dev.greenlight.events;

/** A delivery that can never be processed (unparseable, missing fields): acknowledge it, do not retry. */
public class BadEvent extends RuntimeException {
    public BadEvent(String message, Throwable cause) {
        super(message, cause);
    }
}
