package dev.greenlight.config;

/** A setting is missing or has a value Greenlight cannot use; the message names it. */
public class SettingsException extends RuntimeException {
    public SettingsException(String message) {
        super(message);
    }
}
