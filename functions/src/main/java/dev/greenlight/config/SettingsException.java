package dev.greenlight.config;

import dev.greenlight.errors.Misconfigured;

/**
 * A setting is missing or has a value Greenlight cannot use: 500 {@code misconfigured}. The
 * message names the setting, the bad value and what is allowed, in one line.
 */
public class SettingsException extends Misconfigured {
    public SettingsException(String message) {
        super(message);
    }
}
